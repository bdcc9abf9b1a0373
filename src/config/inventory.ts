/**
 * Loads one or more inventory files (and import sources already read) into frozen Hosts. Precedence:
 * the host itself, then its groups in the order listed (each group before the groups it belongs
 * to), then `defaults`. Every resolved value remembers where it came from, for `netops inventory
 * list --show-origin`.
 */
import type { ConfigIssue, SourcePosition } from './diagnostics.js';
import { ConfigInvalidError } from './diagnostics.js';
import { resolveCredentialSets } from './inventory-credentials.js';
import { groupLineages } from './inventory-groups.js';
import type { ImportProblem } from './import/imported.js';
import type { ImportedInventory } from './import/source.js';
import { resolveHost, type HostScope } from './inventory-hosts.js';
import { originsOf, type Layer } from './inventory-layers.js';
import { mergeInventoryFiles, type Parsed } from './inventory-merge.js';
import { parseInventoryFile } from './inventory-fast-check.js';
import { inventoryFileSchema, type InventoryVocabulary } from './inventory-schema.js';
import { InventorySecrets } from './inventory-secrets.js';
import type { Host, Origin, SecretRef } from './model.js';
import type { YamlDataCache } from './yaml-data-cache.js';
import { YamlSource } from './yaml-source.js';
import { zodToIssues } from './zod-issues.js';

export interface Inventory {
  readonly files: readonly string[];
  readonly hosts: ReadonlyMap<string, Host>;
  readonly groupNames: readonly string[];
  /** Plain-text secrets and other things that work but deserve attention. */
  readonly warnings: readonly ConfigIssue[];
  /** What the import sources among the files could not map (hosts left out, values missing). */
  readonly importProblems: readonly ImportProblem[];
  /** Where each resolved field of a host came from (`data.KEY.SUBKEY` for each value in data). */
  origins(host: string): Readonly<Record<string, Origin>>;
  /** Where a secret reference was written, for errors when it cannot be resolved. */
  secretPosition(ref: SecretRef): SourcePosition | undefined;
}

/**
 * Loads and checks `files` against what this build knows (platform names, data keys tasks read);
 * `cache` keeps the data of large files between runs (yaml-data-cache.ts).
 */
export async function loadInventory(
  files: readonly (string | ImportedInventory)[],
  vocabulary: InventoryVocabulary,
  cache?: YamlDataCache,
): Promise<Inventory> {
  const parsed: Parsed[] = [];
  const issues: ConfigIssue[] = [];
  const schema = inventoryFileSchema(vocabulary);
  for (const file of files) {
    try {
      const source = typeof file === 'string' ? await YamlSource.load(file, cache) : file.yaml;
      const result = parseInventoryFile(schema, (source.data ?? {}) as Record<string, unknown>, vocabulary);
      if (result.success) parsed.push({ source, file: result.data });
      else issues.push(...zodToIssues(source, result.error, schema));
    } catch (error) {
      if (error instanceof ConfigInvalidError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new ConfigInvalidError(issues);
  const importProblems = files.flatMap((f) => (typeof f === 'string' ? [] : f.problems));
  return resolveInventory(parsed, importProblems);
}

function resolveInventory(parsed: readonly Parsed[], importProblems: readonly ImportProblem[]): Inventory {
  const issues: ConfigIssue[] = [];
  const secrets = new InventorySecrets();
  const { hosts, groups, credentialSets, defaults } = mergeInventoryFiles(parsed, issues);
  const scope: HostScope = {
    groups,
    credentials: resolveCredentialSets(credentialSets, secrets),
    lineage: groupLineages(groups, issues),
    groupLayers: new Map(
      [...groups].map(([g, entry]) => [
        g,
        { origin: `group:${g}`, source: entry.at.source, path: ['groups', g], values: entry.raw },
      ]),
    ),
    defaults,
    secrets,
    issues,
  };

  const resolved = new Map<string, Host>();
  // Origins are worked out from the layers when asked for (--show-origin): positions need the
  // file's Document, which a load without problems never builds.
  const hostLayers = new Map<string, readonly Layer[]>();
  for (const [name, entry] of hosts) {
    const { host, layers } = resolveHost(name, entry, scope);
    resolved.set(name, host);
    hostLayers.set(name, layers);
  }
  if (issues.length === 0 && resolved.size === 0) issues.push(...noHosts(parsed));
  if (issues.length > 0) throw new ConfigInvalidError(issues);
  return {
    files: parsed.map((p) => p.source.file),
    hosts: resolved,
    groupNames: [...groups.keys()],
    warnings: secrets.warnings,
    importProblems,
    origins: (host) => originsOf(hostLayers.get(host) ?? []),
    secretPosition: (ref) => secrets.position(ref),
  };
}

/** An inventory without hosts is a mistake (the wrong file given): said at the first file. */
function noHosts(parsed: readonly Parsed[]): ConfigIssue[] {
  const [first] = parsed;
  if (!first) return [];
  const names = parsed.map((p) => p.source.file).join(', ');
  return [
    first.source.issue(
      ['hosts'],
      `the inventory (${names}) defines no hosts`,
      'Add hosts under `hosts:` (NAME: { address: ... }), or pass the inventory file that has them.',
    ),
  ];
}
