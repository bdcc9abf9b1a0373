/**
 * Overlapping runs of one job file: the second one stops with the holder named; a dead run's lock
 * is taken over, including one whose PID now belongs to another process (after a reboot or PID
 * reuse), told apart by the process start time and the boot id.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/runner/lock.js';
import { bootId, currentHolder, processStartTime } from '../../src/core/lock-file.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-lock-');

/** The PID of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

async function jobFile(name: string): Promise<string> {
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, `name: ${name}\n`);
  return file;
}

describe('run lock', () => {
  it('refuses a second holder while the first is alive, and frees on release', async () => {
    const options = { job: 'nightly', jobFile: await jobFile('nightly'), dir: path.join(dir, 'locks') };
    const first = await acquireRunLock(options);
    await expect(acquireRunLock(options)).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining(`pid ${process.pid} on ${os.hostname()}, job nightly`),
    });
    await first.release();
    const again = await acquireRunLock(options);
    expect(again.tookOver).toBeUndefined();
    await again.release();
  });

  it('takes over a stale lock left by a run that died', async () => {
    const options = { job: 'stale', jobFile: await jobFile('stale'), dir: path.join(dir, 'locks') };
    const probe = await acquireRunLock(options);
    await probe.release();
    const stale = { ...currentHolder('job stale'), pid: deadPid(), startedAt: '2026-01-01T02:30:00.000Z' };
    await writeFile(probe.file, JSON.stringify(stale));
    const lock = await acquireRunLock(options);
    expect(lock.tookOver).toEqual(stale);
    await lock.release();
  });

  it('takes over a lock whose PID is alive but started at another time (PID reused) or in another boot', async () => {
    const options = { job: 'reused', jobFile: await jobFile('reused'), dir: path.join(dir, 'locks') };
    const probe = await acquireRunLock(options);
    await probe.release();
    // A live process that is not the holder: same PID as the lock says, different start time.
    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    try {
      const pid = sleeper.pid as number;
      let start: string | undefined;
      for (let i = 0; i < 1000 && start === undefined; i++) start = processStartTime(pid);
      expect(start).toMatch(/^\d+$/);
      const reused = { ...currentHolder('job reused'), pid, procStart: String(Number(start) - 1000) };
      await writeFile(probe.file, JSON.stringify(reused));
      const lock = await acquireRunLock(options);
      expect(lock.tookOver).toMatchObject({ pid, procStart: reused.procStart });
      await lock.release();

      // The same live PID with its real start time but from before a reboot: stale too.
      const rebooted = { ...currentHolder('job reused'), pid, procStart: start, bootId: 'another-boot' };
      expect(bootId()).not.toBe('another-boot');
      await writeFile(probe.file, JSON.stringify(rebooted));
      const again = await acquireRunLock(options);
      expect(again.tookOver).toMatchObject({ pid, bootId: 'another-boot' });
      await again.release();

      // With its own start time and this boot, it is the holder: refused, named.
      const live = { ...currentHolder('job reused'), pid, procStart: start };
      await writeFile(probe.file, JSON.stringify(live));
      await expect(acquireRunLock(options)).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining(`pid ${pid} on ${os.hostname()}, job reused`),
      });
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('`netops run` of one job file from two folders: the second exits 1 naming the holder, contacting nothing', async () => {
    const { job, state } = await cliJob('cli-');
    const elsewhere = await mkdtemp(path.join(dir, 'elsewhere-'));
    const held = await acquireRunLock({ job: 'nightly', jobFile: job, dir: path.join(state, 'locks') });
    try {
      const result = await runNetops(['run', job], {
        cwd: elsewhere,
        env: { NETOPS_STATE_DIR: state },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `LOCKED: another run of "nightly" is in progress (pid ${process.pid} on ${os.hostname()}, job nightly`,
      );
      await mkdir(path.join(elsewhere, 'runs'), { recursive: true });
      expect(await readdir(path.join(elsewhere, 'runs'))).toEqual([]);
    } finally {
      await held.release();
    }
  });

  it('`netops run` on a disk that refuses the lock: FILE_SYSTEM naming the lock and what to do, not a bug report', async () => {
    const { job, state } = await cliJob('disk-');
    // A process that may write no byte to a file (`ulimit -f 0`: EFBIG, SIGXFSZ ignored), as a full
    // disk refuses the lock's first write (ENOSPC).
    const result = await runNetops(['run', job], {
      env: { NETOPS_STATE_DIR: state },
      wrap: ['sh', '-c', 'trap "" XFSZ; ulimit -f 0; exec "$@"', 'sh'],
    });
    expect(result.code).toBe(1);
    const lock = await readdir(path.join(state, 'locks'));
    expect(lock).toEqual([]);
    expect(result.stderr).toMatch(
      /^netops: FILE_SYSTEM: cannot use .*\/locks\/nightly-[0-9a-f]{16}\.lock: EFBIG: file too large, write\n {2}hint: .* may not grow \(a file size limit: `ulimit -f`\): lift the limit, then run again\.$/m,
    );
    expect(result.stderr).not.toContain('bug in netops');
  });
});

/** A folder with a one-host job `nightly` (nothing listens on its port) and a state folder path. */
async function cliJob(prefix: string): Promise<{ job: string; state: string }> {
  const root = await mkdtemp(path.join(dir, prefix));
  await writeFile(path.join(root, 'inv.yaml'), 'hosts:\n  r1: { address: 127.0.0.1, port: 9 }\n');
  await writeFile(
    path.join(root, 'job.yaml'),
    'name: nightly\ninventory: inv.yaml\nsteps:\n  - task: reachable\n',
  );
  return { job: path.join(root, 'job.yaml'), state: path.join(root, 'state') };
}
