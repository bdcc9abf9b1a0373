/**
 * What `netops status` prints: each host's run history in one line (or JSON), oldest good run first
 * when it matters. With a job, every host of its inventory (within the job's `limit`) is listed,
 * also one the job never attempted (it says so); hosts of its past runs no longer in the inventory
 * stay listed from the history.
 */
import path from 'node:path';
import { selectHosts } from '../../config/limit.js';
import { now } from '../../core/clock.js';
import type { Job } from '../../config/job.js';
import { NetopsError } from '../../core/errors.js';
import { hostStatuses, isStale, type HostStatus } from '../../runner/host-status.js';
import { readRunHistory } from '../../runner/run-index.js';
import { parseStaleAfter, staleAfterMessage } from '../../runner/stale-after.js';
import { loadHosts, loadJobFile } from '../load.js';

export interface StatusFlags {
  records?: string;
  limit?: string[];
  /** `--stale 24h`: an age (stale-after.ts). */
  stale?: string;
  json?: boolean;
}

export async function statusCommand(jobFile: string | undefined, flags: StatusFlags): Promise<number> {
  const staleMs = flags.stale === undefined ? undefined : staleAge(flags.stale);
  const job = jobFile === undefined ? undefined : await loadJobFile(jobFile);
  const dir = flags.records ?? job?.recordsDir ?? path.resolve('runs');
  const history = await readRunHistory(dir);
  if (history.unreadable > 0) {
    process.stderr.write(
      `netops: warning: ${history.unreadable} unreadable line(s) in ${dir}/index.jsonl skipped\n`,
    );
  }
  const entries = job ? history.entries.filter((e) => e.job === job.name) : history.entries;
  // --limit matches the host as the history remembers it: name, groups and platform of its last run.
  const attempted: Row[] = hostStatuses(entries, now()).map((s) => ({
    s,
    name: s.host,
    groups: s.groups,
    platform: s.platform,
  }));
  const all = job ? [...attempted, ...(await neverAttempted(job, attempted))] : attempted;
  const limited = flags.limit && all.length > 0 ? selectHosts(all, flags.limit).hosts : all;
  // A host never attempted has no age: it is listed, but --stale (an age) never counts it.
  const shown = staleMs === undefined ? limited : limited.filter((r) => r.s && isStale(r.s, staleMs));
  // The oldest good run first (what needs attention is at the top), hosts never attempted last.
  shown.sort((a, b) => (b.s?.ageMs ?? -1) - (a.s?.ageMs ?? -1) || a.name.localeCompare(b.name));
  if (flags.json) process.stdout.write(`${JSON.stringify(shown.map(statusJson), null, 2)}\n`);
  else process.stdout.write(formatStatus(shown, dir, entries.length));
  return staleMs !== undefined && shown.length > 0 ? 1 : 0;
}

/** A host of the table: its status, or none when the job never attempted it. */
interface Row {
  readonly s?: HostStatus;
  readonly name: string;
  readonly job?: string;
  readonly groups: readonly string[];
  readonly platform: string | undefined;
}

/** The job's inventory hosts (within its `limit`) that no run on record attempted. */
async function neverAttempted(job: Job, attempted: readonly Row[]): Promise<Row[]> {
  const warn = (text: string) => process.stderr.write(`netops: ${text.replace(/^netops: /, '')}\n`);
  // Listing names needs no secret readable: none is checked.
  const { hosts } = await loadHosts(job.inventoryFiles, job.limit, warn, { checkSecrets: false });
  const seen = new Set(attempted.map((r) => r.name));
  return hosts
    .filter((h) => !seen.has(h.name))
    .map((h) => ({ name: h.name, job: job.name, groups: h.groups, platform: h.platform }));
}

function staleAge(text: string): number {
  const ms = parseStaleAfter(text);
  if (ms === undefined) {
    throw new NetopsError('CONFIG_INVALID', `--stale: ${staleAfterMessage}, got "${text}"`, {
      hint: 'Example: netops status JOB --stale 24h',
    });
  }
  return ms;
}

function statusJson(row: Row): Record<string, unknown> {
  const s = row.s;
  if (!s) {
    return {
      host: row.name,
      job: row.job,
      ...(row.platform === undefined ? {} : { platform: row.platform }),
      attempted: false,
      lastAttempt: null,
      lastGood: null,
      ageSeconds: null,
      lastError: null,
      method: null,
    };
  }
  return {
    host: s.host,
    job: s.job,
    ...(s.platform === undefined ? {} : { platform: s.platform }),
    attempted: true,
    lastAttempt: s.lastAttempt,
    lastGood: s.lastGood ?? null,
    ageSeconds: Math.round(s.ageMs / 1000),
    lastError: s.lastError ?? null,
    method: s.lastGood?.method ?? null,
  };
}

function formatStatus(shown: readonly Row[], dir: string, runs: number): string {
  if (shown.length === 0) return runs === 0 ? `no runs recorded in ${dir}\n` : 'no host matches\n';
  const rows = shown.map(({ s, name, job }) =>
    s ? statusCells(s) : [name, job ?? '-', 'never attempted', 'never', '-', '-', '-'],
  );
  const header = ['HOST', 'JOB', 'LAST ATTEMPT', 'LAST GOOD', 'AGE', 'METHOD', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const table = `${[line(header), ...rows.map(line)].join('\n')}\n`;
  return runs === 0 ? `${table}no runs recorded in ${dir}\n` : table;
}

function statusCells(s: HostStatus): string[] {
  return [
    s.host,
    s.job,
    `${s.lastAttempt.at.slice(0, 19)}Z ${s.lastAttempt.status}`,
    s.lastGood ? `${s.lastGood.at.slice(0, 19)}Z` : 'never',
    age(s.ageMs),
    s.lastGood?.method ?? '-',
    s.lastError ? `${s.lastError.step}: ${s.lastError.code}: ${s.lastError.message}` : '-',
  ];
}

/** `25h10m`, `3d4h`, `42m`: the age of the last good run (or of the first attempt, for a host never good). */
function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  if (d > 0) return `${d}d${h}h`;
  return h > 0 ? `${h}h${m}m` : `${m}m`;
}
