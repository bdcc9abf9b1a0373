/** What a simulated device is made of: identity, hardware, faults and the per-device command log. */

export type Platform = 'ios' | 'nxos';

export interface VersionInfo {
  /** `15.2(4)M7` / `6.2(16)`. */
  readonly version: string;
  /** IOS image feature set (`C2900-UNIVERSALK9-M`) or NX-OS image family (`n7000-s2-dk9`). */
  readonly image: string;
  readonly imageFile: string;
  /** Hardware model as `show version` names it. */
  readonly model: string;
  readonly processorBoardId: string;
  readonly sysObjectId: string;
  readonly rom: string;
}

/** One physical entity: a row of ENTITY-MIB entPhysicalTable and an entry of `show inventory`. */
export interface PhysicalEntity {
  readonly index: number;
  /** PhysicalClass: chassis 3, container 5, powerSupply 6, fan 7, module 9. */
  readonly class: number;
  readonly containedIn: number;
  readonly parentRelPos: number;
  readonly name: string;
  readonly descr: string;
  readonly pid: string;
  readonly vid: string;
  readonly serial: string;
  readonly vendorType: string;
  readonly firmwareRev: string;
  readonly softwareRev: string;
  readonly isFru: boolean;
}

/** Fault knobs, settable in the lab spec and at run time (device-reference.md does not cover them). */
export interface DeviceFaults {
  /** Added before every response. @default 0 */
  readonly latencyMs?: number;
  /** Added per byte of output, in microseconds. @default 0 */
  readonly perByteUs?: number;
  /** Every login fails as if the password were wrong. */
  readonly authFailure?: boolean;
  /** After a successful login the device never prints a prompt nor answers. */
  readonly hangAfterLogin?: boolean;
  /** The connection closes half-way through any output longer than 2 KB. */
  readonly closeMidOutput?: boolean;
  /** `terminal length 0` is accepted but paging stays on. */
  readonly endlessPaging?: boolean;
  /** The prompt shows another hostname than the configured one. */
  readonly wrongPrompt?: boolean;
  /** The prompt's hostname changes on every command. */
  readonly changingPrompt?: boolean;
  /** Stray bytes (0x80..0xff, NUL) are mixed into output. */
  readonly garbage?: boolean;
  /**
   * Personas: real devices that do not behave like the default simulator (docs/lab.md cites each).
   * Keystroke echo: `none` never (the return gives only a line end), `line` the whole line after
   * the return, `slow` every key 500 ms late.
   */
  readonly echo?: 'none' | 'line' | 'slow';
  /** An exec banner with a line starting `HOSTNAME#` and one ending `--More--`, sent split right after each. */
  readonly banner?: boolean;
  /** The first Telnet/console login try is refused whatever the password; `Username:` is asked again. */
  readonly loginRetry?: boolean;
  /** The prompt in ANSI colour with a trailing space (NX-OS `terminal color persist`). */
  readonly ansiPrompt?: boolean;
  /** These `terminal` settings are refused with `% Invalid input detected at '^' marker.`. */
  readonly refuseTerminal?: readonly ('width' | 'length')[];
  /** What ends an output line. @default 'crlf' */
  readonly lineEnding?: 'crlf' | 'lf' | 'lfcr';
  /** Output leaves in writes of at most this many bytes (a console at 9600 baud: 1). */
  readonly chunkBytes?: number;
  /** NX-OS prints `!Running configuration last done at:` even before any change (the boot counts). */
  readonly lastDoneHeader?: boolean;
  /** TFTP uploads send only about half of the file (ending inside a line), or nothing at all. */
  readonly tftp?: 'truncated' | 'never-sent';
  /** Passed to the SNMP agent. */
  readonly snmp?: { readonly silent?: boolean; readonly delayMs?: number };
}

export interface CommandLogEntry {
  readonly at: string;
  /** `ssh`, `ssh-exec`, `telnet`, `console`, `snmp`. */
  readonly via: string;
  readonly user: string;
  readonly line: string;
}

/** Files on the device's file systems, keyed `flash:NAME` / `bootflash:NAME`. */
export type FileStore = Map<string, Buffer>;

export const defaultHostname: Record<Platform, string> = { ios: 'Router', nxos: 'switch' };
export const flashName: Record<Platform, string> = { ios: 'flash:', nxos: 'bootflash:' };
export const mgmtInterface: Record<Platform, string> = { ios: 'GigabitEthernet0/0', nxos: 'mgmt0' };
