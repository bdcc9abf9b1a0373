/**
 * What changed between two collections of one host, in the words an engineer would write in a
 * change log: `r1: module 2 serial FOC1234 -> FOC9876`. Used for the store's commit notes and for
 * the "changes since" section of reports.
 */
import type { DeviceFacts, PhysicalEntity } from './device-facts.js';

/** Entity fields whose change is worth a line (an RMA, an upgrade, a different part). */
const trackedFields = ['serial', 'model', 'hardwareRev', 'firmwareRev', 'softwareRev'] as const;

const fieldLabel: Readonly<Record<(typeof trackedFields)[number], string>> = {
  serial: 'serial',
  model: 'model',
  hardwareRev: 'hardware revision',
  firmwareRev: 'firmware',
  softwareRev: 'software',
};

/** Sensors and ports come and go with their module; the module's own line says enough. */
const quietClasses: ReadonlySet<string> = new Set(['sensor', 'port']);

/** The changes, one phrase each, without the host prefix; empty when nothing that matters changed. */
export function diffFacts(before: DeviceFacts | undefined, after: DeviceFacts): string[] {
  if (!before) return [`first inventory: ${describeDevice(after)}`];
  const changes: string[] = [];
  const change = (what: string, from: string | undefined, to: string | undefined) => {
    if ((from ?? '') !== (to ?? '')) changes.push(`${what} ${show(from)} -> ${show(to)}`);
  };
  change('OS version', before.os.version, after.os.version);
  change('sysName', before.system.name, after.system.name);
  change('sysLocation', before.system.location, after.system.location);
  if (before.system.lastBoot && after.system.lastBoot && before.system.lastBoot !== after.system.lastBoot) {
    changes.push(`reloaded (last boot ${after.system.lastBoot})`);
  }

  const old = byKey(before.entities);
  const now = byKey(after.entities);
  for (const [key, entity] of now) {
    const previous = old.get(key);
    if (!previous) {
      if (!quietClasses.has(entity.class)) changes.push(`added ${describeEntity(entity)}`);
      continue;
    }
    for (const field of trackedFields) {
      if (previous[field] !== entity[field])
        change(`${label(entity)} ${fieldLabel[field]}`, previous[field], entity[field]);
    }
  }
  for (const [key, entity] of old) {
    if (!now.has(key) && !quietClasses.has(entity.class)) changes.push(`removed ${describeEntity(entity)}`);
  }
  return changes;
}

/** One note for the store: `r1: a; b; c`, or undefined when nothing changed. */
export function changeNote(host: string, changes: readonly string[]): string | undefined {
  return changes.length === 0 ? undefined : `${host}: ${changes.join('; ')}`;
}

function show(value: string | undefined): string {
  return value === undefined || value === '' ? '(none)' : value;
}

function label(entity: PhysicalEntity): string {
  return entity.name || `${entity.class} ${entity.index}`;
}

function describeEntity(entity: PhysicalEntity): string {
  const parts = [entity.model, entity.serial ? `SN ${entity.serial}` : ''].filter(Boolean);
  return `${entity.class} ${label(entity)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function describeDevice(facts: DeviceFacts): string {
  const chassis = facts.entities.find((e) => e.class === 'chassis');
  const os = [facts.os.name, facts.os.version].filter(Boolean).join(' ');
  const parts = [
    chassis ? [chassis.model, chassis.serial].filter(Boolean).join(' ') : '',
    os,
    `${facts.entities.length} entities`,
  ];
  return parts.filter(Boolean).join(', ');
}

/**
 * Entities keyed by name when the name is unique on the device (indices may be renumbered after a
 * reload on some platforms, names are what `show inventory` prints), by index otherwise.
 */
function byKey(entities: readonly PhysicalEntity[]): Map<string, PhysicalEntity> {
  const counts = new Map<string, number>();
  for (const e of entities) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  return new Map(
    entities.map((e) => [
      e.name !== '' && counts.get(e.name) === 1 ? `name:${e.name}` : `index:${e.index}`,
      e,
    ]),
  );
}
