/**
 * The run history: `index.jsonl` beside the run records, one line per run with what `netops status`,
 * staleness and `--retry-failed` need per host. Appended after the run's record is written, so a
 * line always names a record that exists. One short `write` in append mode per run: runs of other
 * jobs sharing the folder cannot interleave inside a line, and a line torn by a crash is skipped
 * (and counted) when read. A missing index is rebuilt from the records in the folder.
 */
import { access, appendFile, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Host } from '../config/model.js';
import { runRecordSchema, type HostResult, type RunRecord } from './run-record.js';

const indexedHostSchema = z.object({
  host: z.string(),
  platform: z.string().optional(),
  groups: z.array(z.string()),
  status: z.enum(['ok', 'changed', 'failed', 'skipped']),
  /** The backup method that worked (`data.method` of a `backup` step). */
  method: z.string().optional(),
  /** The first failed step's error. */
  error: z.object({ step: z.string(), code: z.string(), message: z.string() }).optional(),
});

const indexEntrySchema = z.object({
  id: z.string(),
  job: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  exitCode: z.int(),
  hosts: z.array(indexedHostSchema),
});

export type IndexedHost = z.infer<typeof indexedHostSchema>;
export type IndexEntry = z.infer<typeof indexEntrySchema>;

export interface RunHistory {
  /** Oldest run first. */
  readonly entries: IndexEntry[];
  /** Lines that could not be read (a crash mid-append); they are left in place. */
  readonly unreadable: number;
}

export const indexFile = (dir: string) => path.resolve(dir, 'index.jsonl');

/** The index line of a finished run; `hosts` gives each host's groups (the record has none). */
export function indexEntryOf(
  record: RunRecord,
  hosts: readonly Pick<Host, 'name' | 'groups'>[] = [],
): IndexEntry {
  const groups = new Map(hosts.map((h) => [h.name, [...h.groups]]));
  return {
    id: record.id,
    job: record.job,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    exitCode: record.exitCode,
    hosts: record.hosts.map((h) => indexedHost(h, groups.get(h.host) ?? [])),
  };
}

function indexedHost(result: HostResult, groups: string[]): IndexedHost {
  const failed = result.steps.find((s) => s.status === 'failed');
  const method = result.steps.find((s) => s.task === 'backup' && typeof s.data?.['method'] === 'string')
    ?.data?.['method'] as string | undefined;
  return {
    host: result.host,
    ...(result.platform === undefined ? {} : { platform: result.platform }),
    groups,
    status: result.status,
    ...(method === undefined ? {} : { method }),
    ...(failed?.error
      ? { error: { step: failed.name, code: failed.error.code, message: failed.error.message } }
      : {}),
  };
}

/** Adds a finished run (its record already written) to the folder's index, creating the index from older records first. */
export async function addToRunIndex(dir: string, entry: IndexEntry): Promise<void> {
  const exists = await access(indexFile(dir)).then(
    () => true,
    () => false,
  );
  if (!exists) await rebuildRunIndex(dir, entry.id);
  await appendLine(dir, entry);
}

async function appendLine(dir: string, entry: IndexEntry): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await appendFile(indexFile(dir), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

/** The folder's run history, oldest first; an empty history when the folder has no runs yet. */
export async function readRunHistory(dir: string): Promise<RunHistory> {
  let text: string;
  try {
    text = await readFile(indexFile(dir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return rebuildRunIndex(dir);
  }
  // By id: two runs that found no index at once both rebuilt it, and a run is one entry.
  const entries = new Map<string, IndexEntry>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if (parsed) entries.set(parsed.id, parsed);
    else unreadable++;
  }
  return { entries: [...entries.values()].sort(byStart), unreadable };
}

function parseLine(line: string): IndexEntry | undefined {
  try {
    const result = indexEntrySchema.safeParse(JSON.parse(line));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

const byStart = (a: IndexEntry, b: IndexEntry) => a.startedAt.localeCompare(b.startedAt);

/**
 * Records written before the index existed (or an index deleted by hand): one line per readable
 * record, written back so the next read is quick. Older records have no `id`: their file stem is it.
 */
async function rebuildRunIndex(dir: string, except?: string): Promise<RunHistory> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && n !== `${except}.json`).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
    throw error;
  }
  const entries: IndexEntry[] = [];
  let unreadable = 0;
  for (const name of names) {
    const raw = await readFile(path.join(dir, name), 'utf8')
      .then((text) => JSON.parse(text) as Record<string, unknown>)
      .catch(() => undefined);
    const record = runRecordSchema.safeParse(raw && { id: name.slice(0, -'.json'.length), ...raw });
    if (record.success) entries.push(indexEntryOf(record.data));
    else unreadable++;
  }
  entries.sort(byStart);
  for (const entry of entries) await appendLine(dir, entry);
  return { entries, unreadable };
}
