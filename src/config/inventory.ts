/**
 * Loads one or more inventory files into frozen Hosts. Precedence: the host itself, then its groups
 * in the order listed (each group before the groups it belongs to), then `defaults`. Every resolved
 * value remembers where it came from, for `netops inventory list --show-origin`.
 */
import path from 'node:path';
import type { ConfigIssue } from './diagnostics.js';
import { ConfigInvalidError } from './diagnostics.js';
import {
  inheritableFieldNames,
  inventoryFileSchema,
  type InheritableField,
  type InheritableValues,
  type InventoryFile,
  type InventoryVocabulary,
  type RawSecretRef,
} from './inventory-schema.js';
import type { Credentials, Host, Origin, SecretRef, SnmpSettings } from './model.js';
import { YamlSource } from './yaml-source.js';
import { zodToIssues } from './zod-issues.js';
import { normalizeAddress } from '../net/address.js';
import type { SourcePosition } from './diagnostics.js';

export interface Inventory {
  readonly files: readonly string[];
  readonly hosts: ReadonlyMap<string, Host>;
  readonly groupNames: readonly string[];
  /** Plain-text secrets and other things that work but deserve attention. */
  readonly warnings: readonly ConfigIssue[];
  /** Where each resolved field of a host came from (`data.KEY.SUBKEY` for each value in data). */
  origins(host: string): Readonly<Record<string, Origin>>;
  /** Where a secret reference was written, for errors when it cannot be resolved. */
  secretPosition(ref: SecretRef): SourcePosition | undefined;
}

interface Layer {
  readonly origin: Origin['source'];
  readonly source: YamlSource;
  readonly path: readonly PropertyKey[];
  readonly values: InheritableValues;
}

interface Parsed {
  readonly source: YamlSource;
  readonly file: InventoryFile;
}

/** Loads and checks `files` against what this build knows (platform names, data keys tasks read). */
export async function loadInventory(
  files: readonly string[],
  vocabulary: InventoryVocabulary,
): Promise<Inventory> {
  const parsed: Parsed[] = [];
  const issues: ConfigIssue[] = [];
  const schema = inventoryFileSchema(vocabulary);
  for (const file of files) {
    try {
      const source = await YamlSource.load(file);
      const result = schema.safeParse(source.data ?? {});
      if (result.success) parsed.push({ source, file: result.data });
      else issues.push(...zodToIssues(source, result.error, schema));
    } catch (error) {
      if (error instanceof ConfigInvalidError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new ConfigInvalidError(issues);
  return resolveInventory(parsed);
}

function resolveInventory(parsed: readonly Parsed[]): Inventory {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  // Positions are looked up only when asked for: the file's Document is built on the first one.
  const secretPositions = new WeakMap<SecretRef, { source: YamlSource; at: readonly PropertyKey[] }>();

  // Merge the files: one namespace for hosts, groups and credential sets; defaults field by field.
  const hosts = new Map<string, { at: Parsed; raw: NonNullable<InventoryFile['hosts']>[string] }>();
  const groups = new Map<string, { at: Parsed; raw: NonNullable<InventoryFile['groups']>[string] }>();
  const credentialSets = new Map<
    string,
    { at: Parsed; raw: NonNullable<InventoryFile['credentials']>[string] }
  >();
  const defaults: Layer[] = [];
  const definedDefaults = new Map<string, YamlSource>();
  for (const at of parsed) {
    const { source, file } = at;
    const claim = <T>(
      map: Map<string, { at: Parsed; raw: T }>,
      section: string,
      entries: Record<string, T>,
    ) => {
      for (const [name, raw] of Object.entries(entries)) {
        const earlier = map.get(name);
        if (earlier) {
          const first = earlier.at.source.position([section, name], true);
          issues.push(
            source.issue(
              [section, name],
              `${section.replace(/s$/, '')} "${name}" is already defined at ${first.file}:${first.line}`,
              'Each name may be defined once across all inventory files.',
              true,
            ),
          );
        } else map.set(name, { at, raw });
      }
    };
    claim(hosts, 'hosts', file.hosts ?? {});
    claim(groups, 'groups', file.groups ?? {});
    claim(credentialSets, 'credentials', file.credentials ?? {});
    if (file.defaults) {
      for (const field of Object.keys(file.defaults)) {
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
      defaults.push({ origin: 'defaults', source, path: ['defaults'], values: file.defaults });
    }
  }

  const secret = (raw: RawSecretRef, source: YamlSource, at: readonly PropertyKey[]): SecretRef => {
    let ref: SecretRef;
    if (typeof raw === 'string') {
      ref = { value: raw };
      // Without the source line: it holds the secret, and this warning is printed (and mailed) on every run.
      const { sourceLine: _secret, ...issue } = source.issue(
        at,
        'plain-text secret',
        'Move it to an environment variable ({ env: NAME }) or a 0600 file ({ file: PATH }) and reference that here.',
      );
      warnings.push(issue);
    } else if ('file' in raw) {
      ref = { file: path.resolve(path.dirname(source.file), raw.file) };
    } else ref = raw;
    secretPositions.set(ref, { source, at });
    return ref;
  };

  const credentials = new Map<string, Credentials>();
  for (const [name, { at, raw }] of credentialSets) {
    const base = ['credentials', name];
    credentials.set(name, {
      name,
      username: raw.username,
      ...(raw.password === undefined
        ? {}
        : { password: secret(raw.password, at.source, [...base, 'password']) }),
      ...(raw.enable === undefined ? {} : { enable: secret(raw.enable, at.source, [...base, 'enable']) }),
      ...(raw.privateKey === undefined
        ? {}
        : { privateKey: secret(raw.privateKey, at.source, [...base, 'privateKey']) }),
    });
  }

  // Group ancestry, depth first in listed order; a cycle or an unknown name is reported where it is written.
  const lineage = new Map<string, string[]>();
  const groupLineage = (name: string, trail: string[]): string[] => {
    const known = lineage.get(name);
    if (known) return known;
    const entry = groups.get(name);
    if (!entry) return [];
    const result = [name];
    for (const [i, parent] of (entry.raw.groups ?? []).entries()) {
      const at: PropertyKey[] = ['groups', name, 'groups', i];
      if (!groups.has(parent)) {
        issues.push(entry.at.source.issue(at, unknownGroup(parent, groups), groupHint));
      } else if (trail.includes(parent)) {
        issues.push(
          entry.at.source.issue(
            at,
            `group cycle: ${[...trail, parent].join(' -> ')}`,
            'A group cannot contain itself.',
          ),
        );
      } else {
        for (const g of groupLineage(parent, [...trail, parent])) if (!result.includes(g)) result.push(g);
      }
    }
    lineage.set(name, result);
    return result;
  };
  for (const name of groups.keys()) groupLineage(name, [name]);

  // One layer per group, shared by its member hosts.
  const groupLayers = new Map<string, Layer>();
  for (const [g, entry] of groups)
    groupLayers.set(g, {
      origin: `group:${g}`,
      source: entry.at.source,
      path: ['groups', g],
      values: entry.raw,
    });

  const resolved = new Map<string, Host>();
  // Origins are worked out from the layers when asked for (--show-origin): positions need the
  // file's Document, which a load without problems never builds.
  const hostLayers = new Map<string, readonly Layer[]>();
  for (const [name, { at, raw }] of hosts) {
    const layers: Layer[] = [{ origin: 'host', source: at.source, path: ['hosts', name], values: raw }];
    const memberOf: string[] = [];
    for (const [i, group] of (raw.groups ?? []).entries()) {
      if (!groups.has(group)) {
        issues.push(at.source.issue(['hosts', name, 'groups', i], unknownGroup(group, groups), groupHint));
        continue;
      }
      for (const g of lineage.get(group) ?? []) if (!memberOf.includes(g)) memberOf.push(g);
    }
    for (const g of memberOf) {
      const layer = groupLayers.get(g);
      if (layer) layers.push(layer);
    }
    layers.push(...defaults);

    const picked = pickFields(layers);
    const data: Record<string, unknown> = {};
    for (const layer of layers) mergeData(data, layer.values.data ?? {}, []);

    let creds: Credentials | undefined;
    if (picked.credentials) {
      creds = credentials.get(picked.credentials.value as string);
      if (!creds) {
        const known = [...credentials.keys()].join(', ') || 'none defined';
        issues.push(
          picked.credentials.layer.source.issue(
            [...picked.credentials.layer.path, 'credentials'],
            `unknown credentials set "${picked.credentials.value}"; known sets: ${known}`,
            'Define it under the top-level `credentials:` section.',
          ),
        );
      }
    }

    let snmp: SnmpSettings | undefined;
    if (picked.snmp?.value) {
      const s = picked.snmp.value;
      const { source: src, path: p } = picked.snmp.layer;
      const ref = (field: 'community' | 'writeCommunity' | 'authKey' | 'privKey') =>
        s[field] === undefined ? undefined : secret(s[field], src, [...p, 'snmp', field]);
      snmp =
        s.version === '2c'
          ? {
              version: '2c',
              community: ref('community') as SecretRef,
              ...(s.writeCommunity === undefined
                ? {}
                : { writeCommunity: ref('writeCommunity') as SecretRef }),
              port: s.port ?? 161,
            }
          : {
              version: '3',
              user: s.user ?? '',
              level: s.level ?? 'authPriv',
              ...(s.authProtocol === undefined ? {} : { authProtocol: s.authProtocol }),
              ...(s.authKey === undefined ? {} : { authKey: ref('authKey') as SecretRef }),
              ...(s.privProtocol === undefined ? {} : { privProtocol: s.privProtocol }),
              ...(s.privKey === undefined ? {} : { privKey: ref('privKey') as SecretRef }),
              port: s.port ?? 161,
            };
    }

    const consoleLine = picked.console?.value;
    const host: Host = {
      name,
      address: normalizeAddress(raw.address) ?? raw.address.toLowerCase(),
      port: picked.port?.value,
      family: picked.family?.value,
      platform: picked.platform?.value,
      transport: picked.transport?.value ?? 'ssh',
      console: consoleLine && {
        host: normalizeAddress(consoleLine.host) ?? consoleLine.host,
        port: consoleLine.port,
      },
      snmp,
      credentials: creds,
      ssh: {
        legacyAlgorithms: picked.ssh?.value?.legacyAlgorithms ?? false,
        trustNewHostKey: picked.ssh?.value?.trustNewHostKey ?? false,
      },
      groups: memberOf,
      data,
    };
    resolved.set(name, Object.freeze(host));
    hostLayers.set(name, layers);
  }

  const [first] = parsed;
  if (issues.length === 0 && resolved.size === 0 && first) {
    const names = parsed.map((p) => p.source.file).join(', ');
    issues.push(
      first.source.issue(
        ['hosts'],
        `the inventory (${names}) defines no hosts`,
        'Add hosts under `hosts:` (NAME: { address: ... }), or pass the inventory file that has them.',
      ),
    );
  }
  if (issues.length > 0) throw new ConfigInvalidError(issues);
  return {
    files: parsed.map((p) => p.source.file),
    hosts: resolved,
    groupNames: [...groups.keys()],
    warnings,
    origins: (host) => originsOf(hostLayers.get(host) ?? []),
    secretPosition: (ref) => {
      const written = secretPositions.get(ref);
      return written && written.source.position(written.at);
    },
  };
}

type Picked = { [F in InheritableField]?: { value: InheritableValues[F]; layer: Layer } };

/** Each inheritable field from the closest layer that sets it. */
function pickFields(layers: readonly Layer[]): Picked {
  const picked: Record<string, { value: unknown; layer: Layer }> = {};
  for (const field of inheritableFieldNames) {
    const layer = layers.find((l) => l.values[field] !== undefined);
    if (layer) picked[field] = { value: layer.values[field], layer };
  }
  return picked as Picked;
}

/** Where each resolved field of a host was written (`data.KEY.SUBKEY` for each value in data). */
function originsOf(layers: readonly Layer[]): Record<string, Origin> {
  const [hostLayer] = layers;
  if (!hostLayer) return {};
  const written = (layer: Layer, at: readonly PropertyKey[]): Origin => {
    const pos = layer.source.position([...layer.path, ...at]);
    return { source: layer.origin, file: pos.file, line: pos.line };
  };
  const origin: Record<string, Origin> = {};
  for (const [field, { layer }] of Object.entries(pickFields(layers)))
    if (field !== 'data') origin[field] = written(layer, [field]);
  const data: Record<string, unknown> = {};
  for (const layer of layers) {
    mergeData(data, layer.values.data ?? {}, [], (at) => {
      origin[`data.${at.join('.')}`] = written(layer, ['data', ...at]);
    });
  }
  origin['transport'] ??= { source: 'built-in' };
  origin['address'] = written(hostLayer, ['address']);
  return origin;
}

/**
 * Merges one layer's `data` under what closer layers already set: mappings merge key by key at every
 * depth (a group's `vpn: { psk }` and a host's `vpn: { peer }` give both), while a list or a value
 * set by a closer layer replaces the farther one whole. `found` hears the path of every value taken.
 */
function mergeData(
  into: Record<string, unknown>,
  layer: Readonly<Record<string, unknown>>,
  at: readonly string[],
  found?: (at: readonly string[]) => void,
): void {
  for (const [key, value] of Object.entries(layer)) {
    const here = found ? [...at, key] : at; // the path is built only for whom listens
    const current = into[key];
    if (current === undefined) {
      if (!isMapping(value) || Object.keys(value).length === 0) {
        into[key] = value;
        found?.(here);
        continue;
      }
      into[key] = {};
    } else if (!isMapping(current) || !isMapping(value)) continue;
    mergeData(into[key] as Record<string, unknown>, value as Record<string, unknown>, here, found);
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const groupHint = 'Define the group under `groups:` in an inventory file, or fix the name.';

function unknownGroup(name: string, groups: ReadonlyMap<string, unknown>): string {
  const known = [...groups.keys()].join(', ') || 'none defined';
  return `unknown group "${name}"; known groups: ${known}`;
}
