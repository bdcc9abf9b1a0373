/**
 * The store's own lock: `GITDIR/netops.lock`, so every netops process writing one repository takes
 * turns whatever job it runs and whatever folder it was started from. Held from before the first
 * device is contacted (`netops run` takes it up front) until the run's commit is done.
 *
 * Within one process the lock is shared: a store opened twice in one process (a test, a tool
 * beside a run) takes it again, and the file goes when the last one lets go. `netops run` opens
 * the job's store once and hands it to the run (RunOptions.opened).
 */
import path from 'node:path';
import { NetopsError } from '../core/errors.js';
import {
  acquireLockFile,
  currentHolder,
  lockedError,
  releaseLockFile,
  type LockHolder,
} from '../core/lock-file.js';

export const STORE_LOCK_FILE = 'netops.lock';

export interface StoreLock {
  readonly file: string;
  /** Set when the lock of a dead run was taken over: what it said. */
  readonly tookOver: LockHolder | undefined;
  release(): Promise<void>;
}

interface Held {
  readonly me: LockHolder;
  readonly tookOver: LockHolder | undefined;
  users: number;
}

const held = new Map<string, Promise<Held>>();

export interface LockStoreOptions {
  /** The store's folder, for messages. */
  readonly store: string;
  /** Its git directory (`STORE/.git` unless `.git` is a gitfile), where the lock lives. */
  readonly gitDir: string;
  /** What this process does, shown to a run that is refused (e.g. `job nightly (/etc/netops/nightly.yaml)`). */
  readonly purpose: string;
}

/** Takes the store's lock, or throws `LOCKED` naming the holder. */
export async function lockStore(options: LockStoreOptions): Promise<StoreLock> {
  const file = path.join(options.gitDir, STORE_LOCK_FILE);
  let pending = held.get(file);
  if (!pending) {
    pending = take(file, options);
    held.set(file, pending);
    pending.catch(() => held.delete(file));
  }
  const entry = await pending;
  entry.users++;
  let released = false;
  return {
    file,
    tookOver: entry.tookOver,
    async release() {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      held.delete(file);
      await releaseLockFile(file, entry.me);
    },
  };
}

async function take(file: string, { store, purpose }: LockStoreOptions): Promise<Held> {
  const me = currentHolder(purpose);
  const result = await acquireLockFile(file, me).catch((error: unknown) => {
    // The file system refused the lock's file (a full disk, a read-only mount): no bug of netops.
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new NetopsError('STORE_FAILED', `cannot take the store lock ${file} (${reason})`, {
      hint: `Check that the store ${store} is writable by this user and that its disk is not full; the store was not changed.`,
      cause: error,
    });
  });
  if (result.ok) return { me, tookOver: result.tookOver, users: 0 };
  throw lockedError(`the store ${store} is in use by another netops run`, file, result.holder);
}
