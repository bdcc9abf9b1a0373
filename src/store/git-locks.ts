/**
 * Lock files git leaves when it is killed (`index.lock`, `HEAD.lock`, `refs/heads/main.lock`, ...):
 * git refuses every later command until they are gone. The store lock proves no other netops works
 * in the repository, so a git lock file is stale unless a git process (a user's, or an orphan of a
 * killed run still finishing) works in it: such processes are waited for, then the file is removed.
 * A file that cannot be removed, or a git process that does not end, is reported with the file's
 * path and the fix.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { NetopsError } from '../core/errors.js';
import { STORE_LOCK_FILE } from './store-lock.js';
import { tempFolder } from './temp-files.js';

export interface GitLockOptions {
  /** The working tree and the git directory of the store. */
  readonly store: string;
  readonly gitDir: string;
  /** How long to wait for a git process still working in the repository to end. @default 15000 */
  readonly waitMs?: number;
}

/**
 * Git lock files under `gitDir`, absolute paths: its top, refs/, the reflogs and the commit graph
 * (a `git gc` killed in its `reflog expire` or while writing the graph leaves `logs/HEAD.lock` or
 * `objects/info/commit-graph.lock`, and every later gc fails on them), and the store's temp folder.
 * Each is a handful of files: no folder that grows with the hosts (the loose objects) is read.
 */
export async function findGitLocks(gitDir: string): Promise<string[]> {
  const found: string[] = [];
  const top = await readdir(gitDir).catch(() => [] as string[]);
  for (const name of top) {
    if (name.endsWith('.lock') && name !== STORE_LOCK_FILE) found.push(path.join(gitDir, name));
  }
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.lock')) found.push(full);
    }
  };
  for (const folder of ['refs', 'logs', path.join('objects', 'info')]) await walk(path.join(gitDir, folder));
  // The run's commit locks the copy of the index it commits from, in the store's temp folder.
  await walk(tempFolder(gitDir));
  return found;
}

/**
 * Removes stale git lock files; call it only while holding the store lock. Returns the files
 * removed (relative to the store) so the caller can say so.
 */
export async function recoverGitLocks(options: GitLockOptions): Promise<string[]> {
  // A git left running by a run killed alone (not its process group) may not have taken its lock
  // yet: wait for every git working here, not only for lock holders.
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  let busy = gitProcessesIn(options);
  while (busy.length > 0 && Date.now() < deadline) {
    await delay(50); // waiting for those processes to end; nothing to subscribe to
    busy = gitProcessesIn(options);
  }
  const left = await findGitLocks(options.gitDir);
  if (left.length === 0) return [];
  if (busy.length > 0) {
    throw new NetopsError(
      'LOCKED',
      `git is still working in the store ${options.store} (pid ${busy.join(', ')}) and holds ${left.join(', ')}`,
      {
        hint: 'Let that git command finish (or end it), then run again.',
        details: { locks: left, pids: busy },
      },
    );
  }
  const removed: string[] = [];
  for (const file of left) {
    try {
      await rm(file);
      removed.push(path.relative(options.store, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      throw new NetopsError(
        'STORE_FAILED',
        `the git lock file ${file} was left by a killed git and cannot be removed (${code ?? String(error)})`,
        {
          hint: `No git process works in the store: remove ${file} (rm ${JSON.stringify(file)}) as its owner, then run again.`,
          details: { lock: file },
        },
      );
    }
  }
  return removed;
}

/**
 * PIDs of git processes whose current folder is inside the store (readable ones: this user's, or all
 * for root). Read synchronously: /proc answers from memory, some 10 us a file, where a read through
 * the thread pool took 0.1 ms each, one process after the other (every store open reads each one).
 */
function gitProcessesIn(options: GitLockOptions): number[] {
  const roots = [options.store, options.gitDir].map((p) => `${path.resolve(p)}${path.sep}`);
  const pids: number[] = [];
  for (const entry of readProc('/proc', (dir) => readdirSync(dir)) ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = readProc(`/proc/${entry}/comm`, (file) => readFileSync(file, 'utf8')) ?? '';
    if (!/^git\b/.test(comm)) continue;
    const cwd = readProc(`/proc/${entry}/cwd`, (link) => readlinkSync(link));
    if (cwd !== undefined && roots.some((root) => `${cwd}${path.sep}`.startsWith(root)))
      pids.push(Number(entry));
  }
  return pids;
}

/** What `read` makes of a /proc file, or undefined when it cannot be read (the process ended, another user's). */
function readProc<T>(file: string, read: (file: string) => T): T | undefined {
  try {
    return read(file);
  } catch {
    return undefined;
  }
}
