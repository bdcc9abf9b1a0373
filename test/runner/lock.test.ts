/** Overlapping cron runs: the second one stops with a clear message; a dead run's lock is taken over. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/runner/lock.js';
import { runNetops } from '../helpers/netops-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netops-lock-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The PID of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('run lock', () => {
  it('refuses a second holder while the first is alive, and frees on release', async () => {
    const first = await acquireRunLock(dir, 'nightly');
    await expect(acquireRunLock(dir, 'nightly')).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    await first.release();
    const again = await acquireRunLock(dir, 'nightly');
    expect(again.tookOver).toBeUndefined();
    await again.release();
  });

  it('takes over a stale lock left by a run that died', async () => {
    const pid = deadPid();
    const stale = { pid, host: os.hostname(), startedAt: '2026-01-01T02:30:00.000Z' };
    await writeFile(path.join(dir, '.stale.lock'), JSON.stringify(stale));
    const lock = await acquireRunLock(dir, 'stale');
    expect(lock.tookOver).toEqual(stale);
    await lock.release();
  });

  it('`netops run` exits 1 with the holder named, contacting nothing, while another run holds the lock', async () => {
    const root = await mkdtemp(path.join(dir, 'cli-'));
    await mkdir(path.join(root, 'runs'));
    await writeFile(path.join(root, 'inv.yaml'), 'hosts:\n  r1: { address: 127.0.0.1, port: 9 }\n');
    await writeFile(
      path.join(root, 'job.yaml'),
      'name: nightly\ninventory: inv.yaml\nsteps:\n  - task: reachable\n',
    );
    const holder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
    await writeFile(path.join(root, 'runs', '.nightly.lock'), JSON.stringify(holder));
    const result = await runNetops(['run', 'job.yaml'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`LOCKED: another run of "nightly" is in progress (pid ${process.pid}`);
    expect(await readdir(path.join(root, 'runs'))).toEqual(['.nightly.lock']);
  });
});
