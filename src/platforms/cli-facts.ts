/**
 * The capability to read a device's inventory over its CLI (collect's `fallback: cli`): which show
 * commands to run and how to read their output into the shapes SNMP gives. A platform without it
 * is collected over SNMP only.
 */
import type { PhysicalEntity } from '../facts/device-facts.js';
import type { OsInfo } from '../facts/os-info.js';

/** What `show version` (or the OS's equivalent) says. */
export interface ShowVersion {
  /** The banner line(s) that stand in for sysDescr. */
  readonly descr: string;
  readonly hostname: string;
  readonly os: OsInfo;
  /** Uptime in hundredths of a second, when the output says it. */
  readonly upTimeTicks?: number;
}

/** A command run at the platform's default privilege and the parser of its output. */
export interface ShowCommand<T> {
  readonly command: string;
  parse(text: string): T;
}

export interface CliFacts {
  readonly version: ShowCommand<ShowVersion>;
  /** Physical parts; the CLI has no containment, so parts usually hang from the chassis. */
  readonly inventory: ShowCommand<PhysicalEntity[]>;
}
