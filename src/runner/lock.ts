/**
 * One run of a job at a time: cron may start tonight's backup while last night's still runs. The
 * lock is a file created exclusively, holding the owner's PID; a lock whose process is gone (a run
 * killed with -9, a reboot) is stale and taken over.
 */
import { open, readFile, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NetopsError } from '../core/errors.js';

export interface RunLock {
  readonly file: string;
  /** Set when a stale lock of a dead run was taken over: what it said. */
  readonly tookOver: LockOwner | undefined;
  release(): Promise<void>;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export async function acquireRunLock(dir: string, job: string): Promise<RunLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `.${job.replace(/[^\w.-]/g, '_')}.lock`);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  let tookOver: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.writeFile(`${JSON.stringify(me)}\n`);
      await handle.close();
      return { file, tookOver, release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner && isAlive(owner)) {
      throw new NetopsError(
        'LOCKED',
        `another run of "${job}" is in progress (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt})`,
        {
          hint: `Wait for it to finish. If that process is gone for good, remove ${file}.`,
          details: { lock: file, owner },
        },
      );
    }
    // Stale: its process is dead. Remove it and try again; a racing taker loses on the exclusive create.
    tookOver = owner;
    await rm(file, { force: true });
  }
  throw new NetopsError('LOCKED', `could not take the lock ${file}`, {
    hint: 'Another run keeps taking it: check for runs started in a loop.',
  });
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    return undefined; // half-written or removed meanwhile: treat as stale
  }
}

/** A lock from another machine (shared folder) cannot be checked, so it is respected. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
