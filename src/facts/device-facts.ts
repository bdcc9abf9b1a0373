/**
 * The stored form of collected facts, `facts/HOST.json` in the store: one document per host with
 * the system group, the OS parsed from sysDescr, and every ENTITY-MIB physical entity. Written by
 * the collect task, read back by reports; the schema checks files a person may have edited.
 */
import { z } from 'zod';
import { entityClasses } from './entity-classes.js';
import { osInfoSchema } from './os-info.js';

export { entityClasses, type EntityClass } from './entity-classes.js';

/** Where a fact came from: the SNMP agent or parsed CLI output. */
export const factSource = z.enum(['snmp', 'cli']);
export type FactSource = z.infer<typeof factSource>;

export const physicalEntitySchema = z.object({
  index: z.number().int().positive(),
  class: z.enum(entityClasses),
  name: z.string(),
  descr: z.string(),
  vendorType: z.string(),
  /** entPhysicalIndex of the container, 0 for a top-level entity. */
  containedIn: z.number().int().nonnegative(),
  parentRelPos: z.number().int(),
  hardwareRev: z.string(),
  firmwareRev: z.string(),
  softwareRev: z.string(),
  serial: z.string(),
  mfgName: z.string(),
  model: z.string(),
  alias: z.string(),
  assetId: z.string(),
  isFru: z.boolean(),
  mfgDate: z.string().optional(),
  uris: z.string().optional(),
});

export type PhysicalEntity = z.infer<typeof physicalEntitySchema>;

export const deviceFactsSchema = z.object({
  host: z.string().min(1),
  /** Inventory labels at collection time, so reports can group without the inventory. */
  inventory: z.object({
    groups: z.array(z.string()),
    site: z.string().optional(),
    platform: z.string().optional(),
  }),
  system: z.object({
    descr: z.string(),
    objectId: z.string(),
    name: z.string(),
    location: z.string(),
    contact: z.string(),
    /** Boot time derived from sysUpTime, kept stable across collections (see docs/collect.md). */
    lastBoot: z.string().optional(),
  }),
  os: osInfoSchema,
  sources: z.object({ system: factSource, os: factSource, entities: factSource }),
  entities: z.array(physicalEntitySchema),
});

export type DeviceFacts = z.infer<typeof deviceFactsSchema>;

/** A facts file's text as facts; throws (JSON or schema error) when it is not one. */
export function parseFacts(text: string): DeviceFacts {
  return deviceFactsSchema.parse(JSON.parse(text));
}

/** JSON with object keys sorted at every level and entities in index order: one text per state. */
export function serializeFacts(facts: DeviceFacts): string {
  const ordered = { ...facts, entities: [...facts.entities].sort((a, b) => a.index - b.index) };
  return `${JSON.stringify(sortKeys(ordered), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
