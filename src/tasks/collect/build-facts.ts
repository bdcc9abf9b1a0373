/** Turns what the agent answered into the stored facts document of one host. */
import type { Host } from '../../config/model.js';
import type { DeviceFacts, EntityClass, FactSource, PhysicalEntity } from '../../facts/device-facts.js';
import { selectClasses } from '../../facts/containment.js';
import type { OsInfo } from '../../facts/os-info.js';
import type { SystemGroup } from '../../snmp/system.js';

/**
 * sysUpTime changes on every poll, so the stored fact is the boot time it implies. Clock drift
 * and request latency move that by seconds a day; a shift within this window keeps the previous
 * value, so only a real reload changes the file.
 */
const bootJitterMs = 10 * 60_000;

/** What was read from the device, over SNMP or the CLI (which has no sysObjectID and may lack uptime). */
export interface DeviceReading {
  readonly source: FactSource;
  readonly system: Omit<SystemGroup, 'upTimeTicks'> & { readonly upTimeTicks: number | undefined };
  readonly os: OsInfo;
  readonly entities: readonly PhysicalEntity[];
}

export interface CollectedFacts extends DeviceReading {
  readonly host: Host;
  readonly classes: readonly EntityClass[] | undefined;
  readonly previous: DeviceFacts | undefined;
  readonly now: Date;
}

export function buildFacts(c: CollectedFacts): DeviceFacts {
  const site = c.host.data.site;
  return {
    host: c.host.name,
    inventory: {
      groups: [...c.host.groups],
      ...(typeof site === 'string' ? { site } : {}),
      ...(c.host.platform ? { platform: c.host.platform } : {}),
    },
    system: {
      descr: c.system.descr,
      objectId: c.system.objectId,
      name: c.system.name,
      location: c.system.location,
      contact: c.system.contact,
      ...(c.system.upTimeTicks === undefined
        ? {}
        : { lastBoot: lastBoot(c.now, c.system.upTimeTicks, c.previous?.system.lastBoot) }),
    },
    os: { ...c.os },
    sources: { system: c.source, os: c.source, entities: c.source },
    entities: selectClasses(c.entities, c.classes),
  };
}

function lastBoot(now: Date, upTimeTicks: number, previous: string | undefined): string {
  const boot = now.getTime() - upTimeTicks * 10;
  if (previous !== undefined && Math.abs(Date.parse(previous) - boot) < bootJitterMs) return previous;
  // Whole seconds: the agent's tick and the request latency make anything finer noise.
  return new Date(Math.round(boot / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
