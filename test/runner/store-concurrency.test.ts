/**
 * Runs that share a store take turns: the same job started from two folders and another job on the
 * same store, all at once, never mix files into each other's commits or lose one; a run that finds
 * the store in use stops before contacting any device and names the holder. And what cron sees
 * after a killed git, a failing commit, or `netops run` itself killed with -9.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../../src/store/git-store.js';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { netopsBin, runNetops, type CliResult } from '../helpers/netops-cli.js';
import { useTempDir } from '../helpers/fixture.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 2, platforms: ['ios'], configBytes: 8_000, bootMs: 100, snmp: false });
const elsewhere = useTempDir('netops-elsewhere-');
const store = () => path.join(t.dir, 'store');
const git = (...args: string[]) => execFileSync('git', ['-C', store(), ...args], { encoding: 'utf8' });

beforeAll(async () => {
  await t.job('night-a', { method: 'show' });
  await t.job('night-b', { method: 'show' });
  // The repository exists before the runs race (creating it is not what is tested here).
  await (await GitStore.open({ dir: store() })).release();
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

describe('what a killed git or a failing commit leaves, as cron sees it', () => {
  it('a stale index.lock is removed before any device is contacted, said on stderr, and the run commits', async () => {
    await writeFile(path.join(store(), '.git', 'index.lock'), '');
    t.lab.devices[1]!.device.merge('interface Loopback91\n description stale-lock test\n', 'test');
    const result = await runNetops(['run', 'night-b.yaml', '--limit', 'r2'], { cwd: t.dir, env: t.env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'netops: removed .git/index.lock left by a git process that was killed (no git process works in the store)',
    );
    expect(git('show', 'HEAD:configs/r2.cfg')).toContain('description stale-lock test');
  });

  it('a commit that fails makes the summary line say FAILED with the whole reason, exit 1', async () => {
    const hook = path.join(store(), '.git', 'hooks', 'pre-commit');
    await writeFile(
      hook,
      '#!/bin/sh\necho "refused by the site policy hook: line one" >&2\necho "line two of the reason" >&2\nexit 1\n',
    );
    await chmod(hook, 0o755);
    try {
      t.lab.devices[1]!.device.merge('interface Loopback92\n description failing commit\n', 'test');
      const result = await runNetops(['run', 'night-b.yaml', '--limit', 'r2'], { cwd: t.dir, env: t.env });
      expect(result.code).toBe(1);
      const summary = result.stdout.split('\n').find((line) => line.startsWith('night-b: '));
      expect(summary).toMatch(
        /^night-b: FAILED: 1 hosts, 0 ok, 1 changed, 0 failed, 0 skipped, 1 run error\(s\) in /,
      );
      expect(result.stdout).toContain("run error STORE_FAILED: the run's commit in");
      expect(result.stdout).toContain('refused by the site policy hook: line one line two of the reason');
      expect(result.stdout).toContain('configs/r2.cfg); the next run commits them');
    } finally {
      await rm(hook);
    }
    const next = await runNetops(['run', 'night-b.yaml', '--limit', 'r2'], { cwd: t.dir, env: t.env });
    expect(next.code, next.stdout).toBe(0);
    expect(git('show', 'HEAD:configs/r2.cfg')).toContain('description failing commit');
  });
});

/** Whether a `git commit` runs in process group `pgid`. */
async function commitInGroup(pgid: number): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat.includes('(git)')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (Number(fields[2]) === pgid && argv.split('\0').includes('commit')) return true;
  }
  return false;
}

/** `netops run` in its own process group, killed with -9 (alone or with its group) at a moment. */
function killRun(when: 'host line' | 'git commit', group: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [netopsBin, 'run', 'night-b.yaml', '--limit', 'r2'], {
      cwd: t.dir,
      env: { ...process.env, ...t.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid as number;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      process.kill(group ? -pid : pid, 'SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (when === 'host line' && chunk.toString().includes('r2 ')) kill();
    });
    if (when === 'git commit') {
      const poll = async (): Promise<void> => {
        if (killed) return;
        // The commit's pre-commit hook holds it open until the kill lands in it.
        if (await commitInGroup(pid)) return kill();
        setImmediate(() => void poll());
      };
      void poll();
    }
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error('the run ended before it was killed')),
    );
  });
}

describe('kill -9 of netops run itself', () => {
  it.each([
    ['git commit', true],
    ['host line', false],
  ] as const)(
    'killed at the %s (process group: %s): the next run completes, fsck clean, nothing lost',
    async (when, group) => {
      t.lab.devices[1]!.device.merge(`interface Loopback93\n description killed at ${when}\n`, 'test');
      // A slow pre-commit hook holds git commit open (index.lock taken) until the kill lands in it.
      const hook = path.join(store(), '.git', 'hooks', 'pre-commit');
      if (when === 'git commit') {
        await writeFile(hook, '#!/bin/sh\nsleep 60\n');
        await chmod(hook, 0o755);
      }
      await killRun(when, group);
      await rm(hook, { force: true });
      const next = await runNetops(['run', 'night-b.yaml', '--limit', 'r2'], { cwd: t.dir, env: t.env });
      expect(next.code, next.stderr).toBe(0);
      // Whatever lock the killed commit held is gone (the next run removes a stale one and says so).
      const locks = ['index.lock', 'netops-tmp/index.lock'].filter((f) =>
        existsSync(path.join(store(), '.git', f)),
      );
      expect(locks).toEqual([]);
      expect(git('fsck', '--no-dangling', '--no-progress').trim()).toBe('');
      expect(git('show', 'HEAD:configs/r2.cfg')).toContain(`description killed at ${when}`);
      expect(
        git('ls-files')
          .split('\n')
          .filter((f) => f.endsWith('.tmp')),
      ).toEqual([]);
      expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
    },
  );
});
