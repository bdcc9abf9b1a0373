/**
 * Per host, from the run history: the last attempt, the last good run (every step succeeded, so
 * for a backup job the last good backup), its age, the last attempt's error and the backup method
 * that worked. Staleness is the age of the last good run, or, for a host never good, the time since
 * its first attempt on record: a host that has failed since it was added is as stale as one that
 * stopped working.
 */
import type { IndexEntry, IndexedHost } from './run-index.js';
import type { StaleHost } from './run-record.js';

export interface HostAttempt {
  readonly runId: string;
  readonly at: string;
  readonly status: IndexedHost['status'];
}

export interface HostStatus {
  readonly job: string;
  readonly host: string;
  readonly platform?: string;
  readonly groups: readonly string[];
  readonly firstAttemptAt: string;
  readonly lastAttempt: HostAttempt;
  /** When the last good run finished; undefined when the host never had one. */
  readonly lastGood?: { readonly runId: string; readonly at: string; readonly method?: string };
  /** Milliseconds since the last good run, else since the first attempt. */
  readonly ageMs: number;
  /** The last attempt's error, when it failed. */
  readonly lastError?: NonNullable<IndexedHost['error']>;
}

const good = (h: IndexedHost) => h.status === 'ok' || h.status === 'changed';

/** One status per job and host that was ever attempted (skipped-only hosts are left out). */
export function hostStatuses(entries: readonly IndexEntry[], now: Date): HostStatus[] {
  const byKey = new Map<string, HostStatus>();
  for (const entry of [...entries].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    for (const h of entry.hosts) {
      if (h.status === 'skipped') continue;
      const key = `${entry.job}\u0000${h.host}`;
      const before = byKey.get(key);
      const lastGood = good(h)
        ? { runId: entry.id, at: entry.finishedAt, ...(h.method === undefined ? {} : { method: h.method }) }
        : before?.lastGood;
      const firstAttemptAt = before?.firstAttemptAt ?? entry.startedAt;
      byKey.set(key, {
        job: entry.job,
        host: h.host,
        ...(h.platform === undefined ? {} : { platform: h.platform }),
        groups: h.groups,
        firstAttemptAt,
        lastAttempt: { runId: entry.id, at: entry.startedAt, status: h.status },
        ...(lastGood ? { lastGood } : {}),
        ageMs: 0,
        ...(h.error ? { lastError: h.error } : {}),
      });
    }
  }
  return [...byKey.values()].map((s) => ({
    ...s,
    ageMs: Math.max(0, now.getTime() - Date.parse(s.lastGood?.at ?? s.firstAttemptAt)),
  }));
}

export function isStale(status: HostStatus, thresholdMs: number): boolean {
  return status.ageMs > thresholdMs;
}

/** The stale hosts among `statuses`, as the run record and the alert list them. */
export function staleHosts(statuses: readonly HostStatus[], thresholdMs: number): StaleHost[] {
  return statuses
    .filter((s) => isStale(s, thresholdMs))
    .map((s) => ({
      host: s.host,
      ...(s.lastGood ? { lastGoodAt: s.lastGood.at } : {}),
      since: s.lastGood?.at ?? s.firstAttemptAt,
      ageMs: s.ageMs,
    }));
}
