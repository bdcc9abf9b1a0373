/**
 * Several inventory files read as one: hosts, groups and credential sets share one namespace across
 * the files (a name defined twice is an error at its second place), and `defaults` merge field by field.
 */
import type { ConfigIssue } from './diagnostics.js';
import type { InventoryFile } from './inventory-schema.js';
import type { Layer } from './inventory-layers.js';
import type { YamlSource } from './yaml-source.js';

/** One inventory file, read and checked against the schema. */
export interface Parsed {
  readonly source: YamlSource;
  readonly file: InventoryFile;
}

/** A named entry and the file that defines it. */
export interface Defined<T> {
  readonly at: Parsed;
  readonly raw: T;
}

/** One entry of a named section as written. */
export type Section<K extends 'hosts' | 'groups' | 'credentials'> = NonNullable<InventoryFile[K]>[string];

export interface MergedInventory {
  readonly hosts: Map<string, Defined<Section<'hosts'>>>;
  readonly groups: Map<string, Defined<Section<'groups'>>>;
  readonly credentialSets: Map<string, Defined<Section<'credentials'>>>;
  /** One layer per file that has `defaults`, in the order the files were given. */
  readonly defaults: Layer[];
}

/** Merges `parsed` in order; conflicts go to `issues`. */
export function mergeInventoryFiles(parsed: readonly Parsed[], issues: ConfigIssue[]): MergedInventory {
  const merged: MergedInventory = {
    hosts: new Map(),
    groups: new Map(),
    credentialSets: new Map(),
    defaults: [],
  };
  const definedDefaults = new Map<string, YamlSource>();
  for (const at of parsed) {
    const { source, file } = at;
    claim(merged.hosts, at, 'hosts', file.hosts ?? {}, issues);
    claim(merged.groups, at, 'groups', file.groups ?? {}, issues);
    claim(merged.credentialSets, at, 'credentials', file.credentials ?? {}, issues);
    if (file.defaults) {
      claimDefaults(definedDefaults, source, Object.keys(file.defaults), issues);
      merged.defaults.push({ origin: 'defaults', source, path: ['defaults'], values: file.defaults });
    }
  }
  return merged;
}

/** Adds the entries of one file's `section`; a name an earlier file defined is an issue here. */
function claim<T>(
  map: Map<string, Defined<T>>,
  at: Parsed,
  section: string,
  entries: Record<string, T>,
  issues: ConfigIssue[],
): void {
  for (const [name, raw] of Object.entries(entries)) {
    const earlier = map.get(name);
    if (earlier) {
      const first = earlier.at.source.position([section, name], true);
      issues.push(
        at.source.issue(
          [section, name],
          `${section.replace(/s$/, '')} "${name}" is already defined at ${first.file}:${first.line}`,
          'Each name may be defined once across all inventory files.',
          true,
        ),
      );
    } else map.set(name, { at, raw });
  }
}

/** Records which file sets each default; a field set in two files is an issue at the second. */
function claimDefaults(
  definedDefaults: Map<string, YamlSource>,
  source: YamlSource,
  fields: readonly string[],
  issues: ConfigIssue[],
): void {
  for (const field of fields) {
    const earlier = definedDefaults.get(field);
    if (earlier) {
      const first = earlier.position(['defaults', field], true);
      issues.push(
        source.issue(
          ['defaults', field],
          `defaults.${field} is already set in ${first.file}:${first.line}`,
          'Set it in one file.',
          true,
        ),
      );
    }
    definedDefaults.set(field, source);
  }
}
