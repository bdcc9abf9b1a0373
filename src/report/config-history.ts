/**
 * The everyday questions answered from the store's history: when did a host's config change and by
 * which run (`netops history`), what changed in it between two states (`netops diff HOST`), and
 * what changed in the network between two runs (`netops diff --run A --run B`). Read through
 * StoreHistory; the text is what the store holds (sanitized).
 */
import { NetopsError, isNetopsError } from '../core/errors.js';
import { StoreHistory, type Revision, type RunRef } from '../store/store-history.js';
import { splitDiff, type FileChange, type FileDiff } from '../store/history-parse.js';
import { checkHostName, configPath } from '../store/paths.js';
import { parseRevision, unknownRevision } from '../store/revisions.js';

export interface HostHistory {
  readonly host: string;
  readonly path: string;
  /** Newest first. */
  readonly changes: readonly FileChange[];
}

/** A diff between two states of the store, per file. `from` undefined: against nothing. */
export interface StoreDiff {
  readonly host?: string;
  readonly from?: Revision;
  readonly to: Revision;
  readonly files: readonly (FileDiff & { readonly host: string })[];
}

/** Opens a store for reading, saying which `--store` could not be read. */
export async function openStore(dir: string): Promise<StoreHistory> {
  try {
    return await StoreHistory.open(dir);
  } catch (error) {
    if (!isNetopsError(error)) throw error;
    throw new NetopsError('STORE_FAILED', `cannot read the store ${dir}: ${error.message}`, {
      cause: error,
      hint: 'Point --store at the store folder of the job (its store.dir): the git repository holding configs/.',
    });
  }
}

/** The commits that changed HOST's config, newest first; a host the store never held is refused. */
export async function hostHistory(
  store: StoreHistory,
  host: string,
  options: { readonly since?: Date; readonly maxCount?: number } = {},
): Promise<HostHistory> {
  const path = configPath(checkHostName(host));
  const changes = await store.fileHistory(path, options);
  if (changes.length === 0 && (await store.fileHistory(path, { maxCount: 1 })).length === 0) {
    throw unknownHost(store, host);
  }
  return { host, path, changes };
}

function unknownHost(store: StoreHistory, host: string): NetopsError {
  return new NetopsError('CONFIG_INVALID', `the store ${store.dir} has never held a config of ${host}`, {
    hint: 'Check the host name (as in the inventory) and --store; `netops grep hostname --store DIR` lists the hosts it holds.',
  });
}

/**
 * HOST's config between two revisions. No revision: its last change (the commit before it to that
 * commit). One: from it to the newest commit.
 */
export async function hostDiff(
  store: StoreHistory,
  host: string,
  revisions: readonly string[],
): Promise<StoreDiff> {
  const path = configPath(checkHostName(host));
  let from: Revision | undefined;
  let to: Revision;
  if (revisions.length === 0) {
    const [last] = await store.fileHistory(path, { maxCount: 1 });
    if (!last) throw unknownHost(store, host);
    to = await store.resolve(last.commit);
    from = last.kind === 'added' ? undefined : await store.resolve(`${last.commit}~1`);
  } else {
    from = await store.resolve(revisions[0]!);
    to = await store.resolve(revisions[1] ?? 'HEAD');
  }
  const files = splitDiff(await store.diff(from?.commit, to.commit, [path]));
  return { host, ...(from ? { from } : {}), to, files: files.map((f) => ({ ...f, host })) };
}

/** What changed in the network's configs between two runs; one run: since the run before it. */
export async function runDiff(store: StoreHistory, names: readonly string[]): Promise<StoreDiff> {
  const runs = await store.runs();
  const [first = 0] = names.map((name) => runIndex(runs, name));
  const to = await store.resolve(names[1] ?? names[0]!);
  // One run: from the run before it (nothing before the first run).
  const fromName = names.length > 1 ? names[0] : runs[first - 1]?.id;
  const from = fromName === undefined ? undefined : await store.resolve(fromName);
  const files = splitDiff(await store.diff(from?.commit, to.commit, ['configs']));
  return {
    ...(from ? { from } : {}),
    to,
    files: files.map((f) => ({ ...f, host: f.path.replace(/^configs\/(.+)\.cfg$/, '$1') })).sort(byHost),
  };
}

/** Where a `--run` name sits among the store's runs; only run names are taken. */
function runIndex(runs: readonly RunRef[], name: string): number {
  const spec = parseRevision(name);
  const index =
    spec.kind === 'last-run'
      ? runs.length - 1 - spec.back
      : spec.kind === 'run'
        ? runs.findIndex((r) => r.id === spec.id)
        : -2;
  if (index === -2)
    throw unknownRevision(name, 'is not a run (--run takes a run id, run/ID, last or last~N)');
  if (index < 0 || index >= runs.length) throw unknownRevision(name, 'is not a run of this store');
  return index;
}

/** By host name (git orders by path, where `r1-v6.cfg` comes before `r1.cfg`). */
const byHost = (a: { host: string }, b: { host: string }) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);

const short = (commit: string) => commit.slice(0, 10);

/** One line per change: date, commit, what changed, the run. */
export function renderHistory(history: HostHistory): string {
  const lines = history.changes.map((c) => {
    const change = c.kind === 'changed' ? `+${c.added} -${c.removed}` : c.kind;
    return `${c.date}  ${short(c.commit)}  ${change.padEnd(11)}  ${c.runId ? `run ${c.runId}` : c.subject}`;
  });
  const count = history.changes.length;
  return `${history.host}: ${count} change${count === 1 ? '' : 's'} of ${history.path}\n${lines.join('\n')}${count ? '\n' : ''}`;
}

function describe(revision: Revision | undefined): string {
  if (!revision) return 'nothing';
  const run = revision.runId ? `, run ${revision.runId}` : '';
  return `${short(revision.commit)} (${revision.date}${run})`;
}

/** A `#` line saying what is compared, then the unified diff (or `--stat`: a line per host). */
export function renderDiff(diff: StoreDiff, stat: boolean): string {
  const added = diff.files.reduce((n, f) => n + f.added, 0);
  const removed = diff.files.reduce((n, f) => n + f.removed, 0);
  const what = diff.host ?? 'configs';
  const summary =
    diff.files.length === 0
      ? 'no change'
      : `${diff.files.length} host${diff.files.length === 1 ? '' : 's'} changed (+${added} -${removed})`;
  const header = `# ${what}: ${describe(diff.from)} -> ${describe(diff.to)}: ${summary}\n`;
  if (stat) {
    const width = Math.max(0, ...diff.files.map((f) => f.host.length));
    return `${header}${diff.files
      .map((f) => `${f.host.padEnd(width)}  ${f.kind === 'changed' ? `+${f.added} -${f.removed}` : f.kind}\n`)
      .join('')}`;
  }
  return `${header}${diff.files.map((f) => f.diff).join('')}`;
}
