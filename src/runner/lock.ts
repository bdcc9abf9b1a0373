/**
 * One run of a job file at a time: cron may start tonight's run while last night's still goes, or
 * someone starts the same job by hand from another folder. The lock is keyed by the job file's real
 * path and lives in the state folder (not in the records folder, which `--records` can move for
 * one run). Jobs with a store are also serialised per store by the store lock
 * (src/store/store-lock.ts); this lock covers what the store lock does not: two runs of one job
 * without a store (commands, startup-config) driving the same devices at once.
 *
 * A stale lock (its holder is gone: killed, or the machine rebooted) is taken over; see
 * src/core/lock-file.ts for how the holder is told apart from a process that reused its PID.
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import {
  acquireLockFile,
  currentHolder,
  lockedError,
  releaseLockFile,
  type LockHolder,
} from '../core/lock-file.js';
import { fileSystemError } from '../core/errors.js';
import { stateDir } from '../core/state-dir.js';

export interface RunLock {
  readonly file: string;
  /** Set when a stale lock of a dead run was taken over: what it said. */
  readonly tookOver: LockHolder | undefined;
  release(): Promise<void>;
}

export interface RunLockOptions {
  readonly job: string;
  /** The job file; its real path is the key. */
  readonly jobFile: string;
  /** @default stateDir()/locks */
  readonly dir?: string;
}

export async function acquireRunLock(options: RunLockOptions): Promise<RunLock> {
  const real = await realpath(options.jobFile).catch(() => path.resolve(options.jobFile));
  const key = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const dir = options.dir ?? path.join(stateDir(), 'locks');
  const file = path.join(dir, `${options.job.replace(/[^\w.-]/g, '_')}-${key}.lock`);
  const me = currentHolder(`job ${options.job} (${real})`);
  const result = await acquireLockFile(file, me).catch((error: unknown) => {
    throw fileSystemError(error, file) ?? error;
  });
  if (result.ok) return { file, tookOver: result.tookOver, release: () => releaseLockFile(file, me) };
  throw lockedError(`another run of "${options.job}" is in progress`, file, result.holder);
}
