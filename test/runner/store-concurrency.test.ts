/**
 * Runs that share a store take turns: the same job started from two folders and another job on the
 * same store, all at once, never mix files into each other's commits or lose one; a run that finds
 * the store in use stops before contacting any device and names the holder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../../src/store/git-store.js';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runNetops, type CliResult } from '../helpers/netops-cli.js';
import { startBackupLab, type BackupLab } from '../tasks/backup-helpers.js';

let t: BackupLab;
let elsewhere: string;
const store = () => path.join(t.dir, 'store');
const git = (...args: string[]) => execFileSync('git', ['-C', store(), ...args], { encoding: 'utf8' });

beforeAll(async () => {
  t = await startBackupLab({ devices: 2, platforms: ['ios'], configBytes: 8_000, bootMs: 100, snmp: false });
  elsewhere = await mkdtemp(path.join(os.tmpdir(), 'netops-elsewhere-'));
  await t.job('night-a', { method: 'show' });
  await t.job('night-b', { method: 'show' });
  // The repository exists before the runs race (creating it is not what is tested here).
  await (await GitStore.open({ dir: store() })).release();
});
afterAll(async () => {
  await t.lab.close();
  await rm(t.dir, { recursive: true, force: true });
  await rm(elsewhere, { recursive: true, force: true });
});

describe('runs sharing one store', () => {
  it('the same job from two folders and another job at once: each run commits alone or is refused naming the holder', async () => {
    const jobA = path.join(t.dir, 'night-a.yaml');
    const runs: Array<Promise<CliResult>> = [
      runNetops(['run', jobA, '--json', '--limit', 'r1'], { cwd: t.dir, env: t.env }),
      runNetops(['run', jobA, '--json', '--limit', 'r1'], { cwd: elsewhere, env: t.env }),
      runNetops(['run', 'night-b.yaml', '--json', '--limit', 'r2'], { cwd: t.dir, env: t.env }),
    ];
    const results = await Promise.all(runs);
    let changedRuns = 0;
    for (const result of results) {
      if (result.code === 0) {
        const record = runRecordSchema.parse(JSON.parse(result.stdout));
        if (record.summary.changed > 0) changedRuns++;
      } else {
        expect(result.code, result.stderr).toBe(1);
        // Refused by the store lock or by the job's own run lock, holder named either way.
        expect(result.stderr).toMatch(
          /LOCKED: (the store .* is in use by another netops run|another run of "night-a" is in progress) \(pid \d+ on \S+, job night-[ab]/,
        );
        expect(result.stdout).toBe('');
      }
    }
    expect(results.filter((r) => r.code === 0).length).toBeGreaterThan(0);
    // One commit per run that changed something, each holding only its own job's host.
    const commits = git('log', '--format=%x1e%s', '--name-only')
      .split('\x1e')
      .slice(1)
      .map((entry) => entry.trim().split('\n').filter(Boolean));
    expect(commits).toHaveLength(changedRuns);
    for (const [subject, ...files] of commits) {
      expect(files).toEqual([subject?.startsWith('netops night-a:') ? 'configs/r1.cfg' : 'configs/r2.cfg']);
    }
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('a run finding the store in use stops before any device, names the holder, and runs once it is free', async () => {
    const holder = await GitStore.open({ dir: store(), purpose: 'job night-a (held by the test)' });
    try {
      const refused = await runNetops(['run', 'night-b.yaml', '--limit', 'r2'], { cwd: t.dir, env: t.env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`LOCKED: the store ${store()} is in use by another netops run`);
      expect(refused.stderr).toContain(
        `pid ${process.pid} on ${os.hostname()}, job night-a (held by the test)`,
      );
      expect(refused.stdout).toBe(''); // no host line: nothing was contacted
    } finally {
      await holder.release();
    }
    const free = await runNetops(['run', 'night-b.yaml', '--limit', 'r2'], { cwd: t.dir, env: t.env });
    expect(free.code, free.stderr).toBe(0);
  });
});
