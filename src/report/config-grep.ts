/**
 * `netops grep`: which devices' current configs hold a line. It reads the store's last commit only,
 * the sanitized copies a run committed (never a working copy in progress, a rejected copy or the
 * restore vault), so what it prints is what `git show` would. `--limit` means what it means for
 * `run`: names and globs on the hosts of the store, `group:`/`platform:` on the inventory labels
 * `collect` stored in facts/HOST.json.
 */
import { selectHosts } from '../config/limit.js';
import type { Host } from '../config/model.js';
import { parseFacts } from '../facts/device-facts.js';
import type { GrepOptions, StoreHistory } from '../store/store-history.js';

export interface GrepResult {
  readonly pattern: string;
  /** The commit searched (the store's newest); absent when the store has none yet. */
  readonly commit?: string;
  /** Hosts with at least one matching line, by name. */
  readonly hosts: readonly {
    readonly host: string;
    readonly matches: readonly { line: number; text: string }[];
  }[];
}

const CONFIG = /^configs\/(.+)\.cfg$/;

export async function grepConfigs(
  store: StoreHistory,
  pattern: string,
  options: GrepOptions & { readonly limit?: string } = {},
): Promise<GrepResult> {
  const { commit, matches } = await store.grep(pattern, options);
  const selected =
    commit === undefined || options.limit === undefined
      ? undefined
      : await selectStoredHosts(store, commit, options.limit);
  const byHost = new Map<string, { line: number; text: string }[]>();
  for (const match of matches) {
    const host = CONFIG.exec(match.path)?.[1];
    if (host === undefined || (selected && !selected.has(host))) continue;
    byHost.set(host, [...(byHost.get(host) ?? []), { line: match.line, text: match.text }]);
  }
  // By host name (git orders by path, where `r1-v6.cfg` comes before `r1.cfg`).
  const hosts = [...byHost]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([host, lines]) => ({ host, matches: lines }));
  return { pattern, ...(commit ? { commit } : {}), hosts };
}

/** The store's hosts `limit` selects, with their stored labels standing in for the inventory. */
async function selectStoredHosts(store: StoreHistory, commit: string, limit: string): Promise<Set<string>> {
  const files = await store.files(commit);
  const names = files.flatMap((f) => CONFIG.exec(f)?.[1] ?? []);
  const wantsLabels = /(^|[,!])\s*(group|platform):/.test(limit);
  const factsFiles = new Set(files.filter((f) => f.startsWith('facts/')));
  const withFacts = wantsLabels ? names.filter((n) => factsFiles.has(`facts/${n}.json`)) : [];
  const texts = await store.readAt(
    commit,
    withFacts.map((n) => `facts/${n}.json`),
  );
  const labels = new Map(withFacts.map((name, i) => [name, storedLabels(texts[i])]));
  const hosts = names.map((name): Host => ({
    name,
    address: '',
    port: undefined,
    family: undefined,
    platform: labels.get(name)?.platform,
    transport: 'ssh',
    console: undefined,
    snmp: undefined,
    credentials: undefined,
    ssh: { legacyAlgorithms: false, trustNewHostKey: false },
    groups: labels.get(name)?.groups ?? [],
    data: {},
  }));
  return new Set(selectHosts(hosts, limit).hosts.map((h) => h.name));
}

function storedLabels(text: string | undefined): { platform?: string; groups: string[] } | undefined {
  if (text === undefined) return undefined;
  try {
    const { inventory } = parseFacts(text);
    return { ...(inventory.platform ? { platform: inventory.platform } : {}), groups: [...inventory.groups] };
  } catch {
    return undefined; // an unreadable facts file gives no labels; the config is still searched
  }
}

/** `HOST:LINE:TEXT` per matching line, as grep prints with file names and line numbers. */
export function renderGrep(result: GrepResult): string {
  return result.hosts
    .flatMap(({ host, matches }) => matches.map((m) => `${host}:${m.line}:${m.text}\n`))
    .join('');
}
