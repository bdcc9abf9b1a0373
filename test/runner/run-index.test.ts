/**
 * The run history on disk: a line torn by a crash costs that run only (counted, not fatal), and a
 * folder of records without an index (written before it existed, or the index deleted) is indexed
 * again from the records, older records without an `id` getting their file stem.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { hostStatuses, staleHosts } from '../../src/runner/host-status.js';
import { addToRunIndex, indexEntryOf, readRunHistory } from '../../src/runner/run-index.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-run-index-');

function record(id: string, startedAt: string, statuses: Record<string, 'ok' | 'failed'>): RunRecord {
  const hosts = Object.entries(statuses).map(([host, status]) => ({
    host,
    address: '127.0.0.1',
    status,
    durationMs: 5,
    steps: [
      {
        name: 'backup',
        task: 'backup',
        status,
        durationMs: 5,
        attempts: 1,
        ...(status === 'ok'
          ? { data: { method: 'show' } }
          : { error: { code: 'AUTH_FAILED', message: 'login refused', hint: 'check credentials' } }),
      },
    ],
  }));
  const failed = hosts.filter((h) => h.status === 'failed').length;
  return {
    version: 1,
    id,
    job: 'nightly',
    jobFile: '/jobs/nightly.yaml',
    startedAt,
    finishedAt: startedAt,
    durationMs: 10,
    aborted: false,
    exitCode: failed > 0 ? 1 : 0,
    concurrency: 4,
    limit: [],
    summary: { hosts: hosts.length, ok: hosts.length - failed, changed: 0, failed, skipped: 0 },
    hosts,
    errors: [],
  };
}

it('rebuilds a missing index from the records (an old record without id gets its file stem), then appends', async () => {
  const old = record('x', '2026-11-20T02:00:00.000Z', { r1: 'ok', r2: 'ok' });
  const { id: _dropped, ...withoutId } = old;
  await writeFile(path.join(dir, '2026-11-20T02-00-00-000Z-nightly.json'), JSON.stringify(withoutId));
  const next = record('2026-11-21T02-00-00-000Z-nightly', '2026-11-21T02:00:00.000Z', {
    r1: 'ok',
    r2: 'failed',
  });
  await writeFile(path.join(dir, `${next.id}.json`), JSON.stringify(next));
  await addToRunIndex(dir, indexEntryOf(next, [{ name: 'r2', groups: ['core'] }]));

  const lines = (await readFile(path.join(dir, 'index.jsonl'), 'utf8')).trimEnd().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([
    '2026-11-20T02-00-00-000Z-nightly',
    '2026-11-21T02-00-00-000Z-nightly',
  ]);
  const history = await readRunHistory(dir);
  expect(history.unreadable).toBe(0);
  const r2 = hostStatuses(history.entries, new Date('2026-11-21T03:00:00.000Z')).find(
    (s) => s.host === 'r2',
  )!;
  expect(r2).toMatchObject({
    groups: ['core'],
    lastGood: { runId: '2026-11-20T02-00-00-000Z-nightly', method: 'show' },
    lastAttempt: { status: 'failed' },
    lastError: { step: 'backup', code: 'AUTH_FAILED' },
    ageMs: 25 * 3_600_000,
  });
  expect(staleHosts([r2], 24 * 3_600_000)).toEqual([
    {
      host: 'r2',
      lastGoodAt: '2026-11-20T02:00:00.000Z',
      since: '2026-11-20T02:00:00.000Z',
      ageMs: 25 * 3_600_000,
    },
  ]);
});

it('skips and counts a line torn by a crash, reads a run added twice once; the runs around it are still read', async () => {
  await appendFile(path.join(dir, 'index.jsonl'), '{"id":"2026-11-22T02-00-00-000Z-nightly","job":"nig');
  const later = record('2026-11-23T02-00-00-000Z-nightly', '2026-11-23T02:00:00.000Z', { r1: 'ok' });
  await appendFile(path.join(dir, 'index.jsonl'), '\n');
  await addToRunIndex(dir, indexEntryOf(later));
  // Two runs that both found no index rebuild it twice: a run is still one entry.
  await addToRunIndex(dir, indexEntryOf(later));
  const history = await readRunHistory(dir);
  expect(history.unreadable).toBe(1);
  expect(history.entries.map((e) => e.id)).toEqual([
    '2026-11-20T02-00-00-000Z-nightly',
    '2026-11-21T02-00-00-000Z-nightly',
    '2026-11-23T02-00-00-000Z-nightly',
  ]);
});

it('a host that never had a good run is stale from its first attempt', () => {
  const entries = [
    indexEntryOf(record('a', '2026-11-20T02:00:00.000Z', { r9: 'failed' })),
    indexEntryOf(record('b', '2026-11-21T02:00:00.000Z', { r9: 'failed' })),
  ];
  const [r9] = hostStatuses(entries, new Date('2026-11-21T04:00:00.000Z'));
  expect(r9?.lastGood).toBeUndefined();
  expect(staleHosts([r9!], 24 * 3_600_000)).toEqual([
    { host: 'r9', since: '2026-11-20T02:00:00.000Z', ageMs: 26 * 3_600_000 },
  ]);
});
