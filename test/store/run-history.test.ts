/**
 * The store's history as the history commands read it, against the real `git`: each run's commit
 * names its run, each run is tagged (also one that changed nothing), the names users give a state
 * of the store resolve to the right commit, diffs split per file, grep reads only committed text,
 * and netops packs the repository itself after a run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { GitStore } from '../../src/store/git-store.js';
import { StoreHistory } from '../../src/store/store-history.js';
import { splitDiff } from '../../src/store/history-parse.js';
import { GC_LOOSE_OBJECTS } from '../../src/store/maintenance.js';
import { configPath } from '../../src/store/paths.js';
import type { RunSummary } from '../../src/tasks/task.js';
import { useTempDir } from '../helpers/fixture.js';

const root = useTempDir('netops-run-history-');
let stores = 0;
const newStoreDir = () => path.join(root, `store-${++stores}`);

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

function run(day: number, changed: number): RunSummary {
  const startedAt = `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  return {
    runId: `${startedAt.replace(/[:.]/g, '-')}-nightly`,
    job: 'nightly',
    startedAt,
    counts: { ok: 0, changed, failed: 0, skipped: 0 },
    changedHosts: [],
    failedHosts: [],
    aborted: false,
  };
}

const config = (host: string, community: string) =>
  `hostname ${host}\n!\nsnmp-server community ${community} RO\n!\ninterface Gi0/1\n description uplink\n!\nend\n`;

/** Runs on days 1 (r1, r2 added), 2 (r1 changed), 3 (nothing changed). */
async function threeNights(dir: string): Promise<void> {
  const nights: [number, Record<string, string>][] = [
    [1, { r1: config('r1', '<removed>'), r2: config('r2', '<removed>') }],
    [2, { r1: config('r1', '<secret:7f3a9c>'), r2: config('r2', '<removed>') }],
    [3, { r1: config('r1', '<secret:7f3a9c>'), r2: config('r2', '<removed>') }],
  ];
  for (const [day, configs] of nights) {
    const store = await GitStore.open({ dir });
    let changed = 0;
    for (const [host, text] of Object.entries(configs)) {
      if ((await store.write(configPath(host), text)).changed) changed++;
    }
    await store.close(run(day, changed));
  }
}

describe('run commits and tags', () => {
  it('names the run in each commit and tags every run, also one that changed nothing', async () => {
    const dir = newStoreDir();
    await threeNights(dir);
    expect(git(dir, 'rev-list', '--count', 'HEAD')).toBe('2');
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Netops-Run,valueonly)')).toBe(
      '2026-11-02T02-00-00-000Z-nightly',
    );
    const reader = await StoreHistory.open(dir);
    const runs = await reader.runs();
    expect(runs.map((r) => r.id)).toEqual([
      '2026-11-01T02-00-00-000Z-nightly',
      '2026-11-02T02-00-00-000Z-nightly',
      '2026-11-03T02-00-00-000Z-nightly',
    ]);
    // The third run changed nothing: the network as it left it is the second run's commit.
    expect(runs[2]!.commit).toBe(runs[1]!.commit);
    expect(runs[1]!.commit).toBe(git(dir, 'rev-parse', 'HEAD'));
  });

  it('leaves a tag another commit holds as it is, with a warning, and commits all the same', async () => {
    const dir = newStoreDir();
    const warnings: string[] = [];
    for (const community of ['<removed>', '<secret:7f3a9c>']) {
      const store = await GitStore.open({ dir, onWarning: (m) => warnings.push(m) });
      await store.write(configPath('r1'), config('r1', community));
      await store.close(run(1, 1)); // the same run id twice: a clock set back, say
    }
    expect(git(dir, 'rev-list', '--count', 'HEAD')).toBe('2');
    expect(git(dir, 'rev-parse', 'run/2026-11-01T02-00-00-000Z-nightly')).toBe(
      git(dir, 'rev-parse', 'HEAD~1'),
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^the run tag run\/2026-11-01T02-00-00-000Z-nightly already names commit/),
    ]);
  });

  it('resolves runs, last~N, dates and commits; refuses what names nothing', async () => {
    const dir = newStoreDir();
    await threeNights(dir);
    const reader = await StoreHistory.open(dir);
    const [first, second] = git(dir, 'rev-list', '--reverse', 'HEAD').split('\n');
    expect((await reader.resolve('2026-11-01T02-00-00-000Z-nightly')).commit).toBe(first);
    expect((await reader.resolve('run/2026-11-02T02-00-00-000Z-nightly')).commit).toBe(second);
    expect(await reader.resolve('last')).toMatchObject({
      commit: second,
      runId: '2026-11-02T02-00-00-000Z-nightly',
    });
    expect((await reader.resolve('last~2')).commit).toBe(first);
    expect((await reader.resolve(first!.slice(0, 8))).commit).toBe(first);
    expect((await reader.resolve('HEAD~1')).commit).toBe(first);
    // A date: the store as it was then (the commits are made now, so a date in the future is HEAD).
    expect((await reader.resolve('2099-01-01')).commit).toBe(second);
    for (const name of [
      'last~3',
      '2026-11-09T02-00-00-000Z-nightly',
      'abcdef12',
      '2000-01-01',
      '--output=x',
    ]) {
      const error = await reader.resolve(name).catch((e: unknown) => e);
      expect(isNetopsError(error) && error.code, name).toBe('CONFIG_INVALID');
    }
  });

  it("counts last~N among one job's runs when asked: a restore's run does not move the backup job's last", async () => {
    const dir = newStoreDir();
    await threeNights(dir);
    const store = await GitStore.open({ dir });
    await store.close({
      ...run(4, 0),
      runId: '2026-11-04T02-00-00-000Z-nightly-restore',
      job: 'nightly-restore',
    });
    const reader = await StoreHistory.open(dir);
    const [first, second] = git(dir, 'rev-list', '--reverse', 'HEAD').split('\n');
    expect((await reader.resolve('last~2')).commit).toBe(second);
    expect((await reader.resolve('last~2', { job: 'nightly' })).commit).toBe(first);
    expect((await reader.resolve('last', { job: 'nightly-restore' })).commit).toBe(second);
    const error = await reader.resolve('last~1', { job: 'nightly-restore' }).catch((e: unknown) => e);
    expect(isNetopsError(error) && error.message).toContain('of job nightly-restore');
  });
});

describe('reading the history', () => {
  it('lists the changes of one file with their runs and line counts', async () => {
    const dir = newStoreDir();
    await threeNights(dir);
    const reader = await StoreHistory.open(dir);
    const changes = await reader.fileHistory(configPath('r1'));
    expect(changes.map(({ kind, added, removed, runId }) => ({ kind, added, removed, runId }))).toEqual([
      { kind: 'changed', added: 1, removed: 1, runId: '2026-11-02T02-00-00-000Z-nightly' },
      { kind: 'added', added: 8, removed: 0, runId: '2026-11-01T02-00-00-000Z-nightly' },
    ]);
    expect(await reader.fileHistory(configPath('r2'))).toHaveLength(1);
  });

  it('diffs two runs file by file', async () => {
    const dir = newStoreDir();
    await threeNights(dir);
    const reader = await StoreHistory.open(dir);
    const from = await reader.resolve('last~2');
    const to = await reader.resolve('last');
    const files = splitDiff(await reader.diff(from.commit, to.commit));
    expect(files.map(({ path: p, kind, added, removed }) => ({ p, kind, added, removed }))).toEqual([
      { p: 'configs/r1.cfg', kind: 'changed', added: 1, removed: 1 },
    ]);
    expect(files[0]!.diff).toContain(
      '-snmp-server community <removed> RO\n+snmp-server community <secret:7f3a9c> RO\n',
    );
    const fromNothing = splitDiff(await reader.diff(undefined, from.commit));
    expect(fromNothing.map((f) => [f.path, f.kind])).toEqual([
      ['configs/r1.cfg', 'added'],
      ['configs/r2.cfg', 'added'],
    ]);
  });

  it('greps the committed configs only, and refuses a bad pattern', async () => {
    const dir = newStoreDir();
    await threeNights(dir);
    // Written but not committed (a run in progress): not what the store holds yet.
    await writeFile(path.join(dir, 'configs', 'r2.cfg'), config('r2', 'uncommitted'));
    const reader = await StoreHistory.open(dir);
    const found = await reader.grep('^snmp-server community');
    expect(found.matches).toEqual([
      { path: 'configs/r1.cfg', line: 3, text: 'snmp-server community <secret:7f3a9c> RO' },
      { path: 'configs/r2.cfg', line: 3, text: 'snmp-server community <removed> RO' },
    ]);
    expect((await reader.grep('uncommitted')).matches).toEqual([]);
    expect((await reader.grep('<SECRET:', { ignoreCase: true, fixed: true })).matches).toHaveLength(1);
    const error = await reader.grep('interface (').catch((e: unknown) => e);
    expect(isNetopsError(error) && error.code).toBe('CONFIG_INVALID');
  });
});

describe('maintenance', () => {
  it(
    'packs the loose objects earlier runs gathered once they pass the threshold',
    async () => {
      const dir = newStoreDir();
      // Loose objects gathered by earlier runs (each commits a few; here committed at once by hand,
      // cheaper to set up than hundreds of nights), many enough to pass the threshold: the next
      // run's close() packs them. git estimates the loose objects from one of its 256 folders: 8x
      // the threshold passes it surely.
      const hosts = 8 * GC_LOOSE_OBJECTS;
      await (await GitStore.open({ dir })).release();
      mkdirSync(path.join(dir, 'configs'), { recursive: true });
      for (let i = 0; i < hosts; i++) {
        writeFileSync(path.join(dir, 'configs', `r${i}.cfg`), config(`r${i}`, '<removed>'));
      }
      git(dir, 'add', 'configs');
      git(dir, '-c', 'gc.auto=0', 'commit', '--quiet', '-m', 'earlier nights');
      const store = await GitStore.open({ dir });
      await store.write(configPath('r1'), config('r1', '<secret:0a1b2c>'), 'r1: changed');
      await store.close(run(1, 0));
      const counts = Object.fromEntries(
        git(dir, 'count-objects', '-v')
          .split('\n')
          .map((line) => line.split(': ') as [string, string]),
      );
      expect(Number(git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').length)).toBe(hosts);
      expect(Number(counts['count'])).toBeLessThan(GC_LOOSE_OBJECTS / 4);
      expect(Number(counts['in-pack'])).toBeGreaterThan(hosts);
      expect(git(dir, 'fsck', '--no-progress')).toBe('');
      // The run's tag was packed with the other refs and still names the run.
      const reader = await StoreHistory.open(dir);
      expect((await reader.runs()).map((r) => r.id)).toEqual(['2026-11-01T02-00-00-000Z-nightly']);
    },
    5 * 60_000,
  );
});
