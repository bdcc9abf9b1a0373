/**
 * The store's commit of many new copies (a first run, a fleet-wide change) against the real `git`:
 * they reach the repository as one pack, not one loose object each, the commit holds exactly them
 * (a user's staged work stays out, as in a small commit), and the next run, with nothing changed,
 * reads and writes no working copy but repairs one a killed run left different from HEAD.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore } from '../../src/store/git-store.js';
import { GC_LOOSE_OBJECTS } from '../../src/store/maintenance.js';
import { configPath } from '../../src/store/paths.js';
import type { RunSummary } from '../../src/tasks/task.js';

let dir: string;

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'netops-store-')), 'backups');
});

afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

function git(...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
}

/** `git count-objects -v` as numbers: `count` loose objects, `in-pack` packed ones. */
function objects(): Record<string, number> {
  return Object.fromEntries(
    git('count-objects', '-v')
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string])
      .map(([name, value]) => [name, Number(value)]),
  );
}

let runs = 0;
function run(changed: number, ok = 0): RunSummary {
  runs++;
  return {
    runId: `2026-11-30T02-00-00-${String(runs).padStart(3, '0')}Z-nightly`,
    job: 'nightly',
    startedAt: '2026-11-30T02:00:00.000Z',
    counts: { ok, changed, failed: 0, skipped: 0 },
    changedHosts: [],
    failedHosts: [],
    aborted: false,
  };
}

const config = (host: string, serial: string) =>
  `hostname ${host}\n!\ninterface Gi0/1\n description ${serial}\n!\nend\n`;

// As many new copies as make the commit pack them, and some more.
const hosts = Array.from({ length: GC_LOOSE_OBJECTS + 44 }, (_, i) => `sw${i}`);

describe('GitStore with many new copies', () => {
  it('stores them as one pack, commits exactly them, and leaves staged work of the user out', async () => {
    const first = await GitStore.open({ dir });
    await first.release();
    writeFileSync(path.join(dir, 'NOTES.md'), 'mine\n');
    git('add', 'NOTES.md');

    const store = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => store.write(configPath(h), config(h, 'FOC1'), `${h}: first`)));
    const id = await store.commit(run(hosts.length));
    await store.release();

    expect(id).toBe(git('rev-parse', 'HEAD').trim());
    expect(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(
      hosts.map((h) => `configs/${h}.cfg`).sort(),
    );
    expect(git('status', '--porcelain').trim()).toBe('A  NOTES.md');
    // The blobs are packed; loose are only the user's, the commit and its trees.
    const counted = objects();
    expect(counted['in-pack']).toBeGreaterThanOrEqual(hosts.length);
    expect(counted['count']).toBeLessThan(10);
    git('fsck', '--strict', '--no-progress');
    expect(git('show', 'HEAD:configs/sw7.cfg')).toBe(config('sw7', 'FOC1'));
  });

  it('commits them from a copy of the index when nothing else is staged, and the index agrees after', async () => {
    const store = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => store.write(configPath(h), config(h, 'FOC1'))));
    await store.close(run(hosts.length));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n')).toHaveLength(hosts.length);
    // The repository's own index holds what was committed: nothing staged, nothing modified.
    expect(git('status', '--porcelain')).toBe('');
    expect(git('diff', '--cached', '--name-only', 'HEAD')).toBe('');
    // The copy the commit used is gone.
    expect(git('status', '--porcelain', '--ignored')).toBe('');

    const next = await GitStore.open({ dir });
    const changed = await next.write(configPath('sw3'), config('sw3', 'FOC2'), 'sw3: serial');
    expect(changed.diff).toContain('- description FOC1\n+ description FOC2\n');
    await next.close(run(1, hosts.length - 1));
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('configs/sw3.cfg');
  });

  it('leaves unchanged working copies untouched and repairs one a killed run left different', async () => {
    const first = await GitStore.open({ dir });
    await Promise.all(hosts.slice(0, 3).map((h) => first.write(configPath(h), config(h, 'FOC1'))));
    await first.close(run(3));
    const head = git('rev-parse', 'HEAD');
    const file = (h: string) => path.join(dir, configPath(h));
    const before = statSync(file('sw1'));

    const killed = await GitStore.open({ dir });
    await killed.write(configPath('sw0'), config('sw0', 'HALF'));
    await killed.release(); // died before its commit

    const next = await GitStore.open({ dir });
    // The device's config is HEAD's again: unchanged, and the working copy is HEAD's again.
    for (const h of hosts.slice(0, 3))
      expect(await next.write(configPath(h), config(h, 'FOC1'))).toEqual({ changed: false, diff: '' });
    expect(readFileSync(file('sw0'), 'utf8')).toBe(config('sw0', 'FOC1'));
    const after = statSync(file('sw1'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Within a run too: a copy written changed and then written back is HEAD's again.
    await next.write(configPath('sw2'), config('sw2', 'FOC9'));
    await next.write(configPath('sw2'), config('sw2', 'FOC1'));
    expect(readFileSync(file('sw2'), 'utf8')).toBe(config('sw2', 'FOC1'));
    await next.close(run(0, 3));
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe('');
  });
});
