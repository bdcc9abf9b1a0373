/** What `netops status` prints: each host's run history in one line (or JSON), oldest good run first when it matters. */
import path from 'node:path';
import { selectHosts } from '../../config/limit.js';
import { now } from '../../core/clock.js';
import { NetopsError } from '../../core/errors.js';
import { hostStatuses, isStale, type HostStatus } from '../../runner/host-status.js';
import { readRunHistory } from '../../runner/run-index.js';
import { parseStaleAfter, staleAfterMessage } from '../../runner/stale-after.js';
import { loadJobFile } from '../load.js';

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
  const all = hostStatuses(entries, now()).map((s) => ({
    s,
    name: s.host,
    groups: s.groups,
    platform: s.platform,
  }));
  const limited = (flags.limit && all.length > 0 ? selectHosts(all, flags.limit).hosts : all).map((h) => h.s);
  const shown = staleMs === undefined ? limited : limited.filter((s) => isStale(s, staleMs));
  // The oldest good run first: what needs attention is at the top.
  shown.sort((a, b) => b.ageMs - a.ageMs || a.host.localeCompare(b.host));
  if (flags.json) process.stdout.write(`${JSON.stringify(shown.map(statusJson), null, 2)}\n`);
  else process.stdout.write(formatStatus(shown, dir, entries.length));
  return staleMs !== undefined && shown.length > 0 ? 1 : 0;
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

function statusJson(s: HostStatus): Record<string, unknown> {
  return {
    host: s.host,
    job: s.job,
    ...(s.platform === undefined ? {} : { platform: s.platform }),
    lastAttempt: s.lastAttempt,
    lastGood: s.lastGood ?? null,
    ageSeconds: Math.round(s.ageMs / 1000),
    lastError: s.lastError ?? null,
    method: s.lastGood?.method ?? null,
  };
}

function formatStatus(statuses: readonly HostStatus[], dir: string, runs: number): string {
  if (statuses.length === 0) return runs === 0 ? `no runs recorded in ${dir}\n` : 'no host matches\n';
  const rows = statuses.map((s) => [
    s.host,
    s.job,
    `${s.lastAttempt.at.slice(0, 19)}Z ${s.lastAttempt.status}`,
    s.lastGood ? `${s.lastGood.at.slice(0, 19)}Z` : 'never',
    age(s.ageMs),
    s.lastGood?.method ?? '-',
    s.lastError ? `${s.lastError.step}: ${s.lastError.code}: ${s.lastError.message}` : '-',
  ]);
  const header = ['HOST', 'JOB', 'LAST ATTEMPT', 'LAST GOOD', 'AGE', 'METHOD', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `25h10m`, `3d4h`, `42m`: the age of the last good run (or of the first attempt, for a host never good). */
function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  if (d > 0) return `${d}d${h}h`;
  return h > 0 ? `${h}h${m}m` : `${m}m`;
}
