/**
 * Atomic file replacement: readers see the old file or the new one, never a partial write, even if
 * the process or the machine dies mid-way (temp file, fsync, rename, fsync folder). The temp file
 * goes beside the target unless `tempDir` names a folder on the same file system: a folder that
 * scans the target's (a git working tree) must not find temp files a killed write left behind.
 */
import { closeSync, fsync, open as openFile, rename, rmSync, writeSync } from 'node:fs';
import { open, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';

// The callback calls, not fs/promises: no FileHandle to create, track and close through the pool.
const openAsync = promisify(openFile);
const fsyncAsync = promisify(fsync);
const renameAsync = promisify(rename);

export interface AtomicWriteOptions {
  /** File mode of the new file. @default 0o644 */
  readonly mode?: number;
  /** Where the temp file goes; must be on the target's file system. @default the target's folder */
  readonly tempDir?: string;
  /** Mode of the folders created for the file (existing ones are left as they are). @default 0o777 minus umask */
  readonly dirMode?: number;
  /**
   * Create the file's folder and `tempDir` when missing. A caller that made them already (a store
   * writing a thousand configs into one folder) saves two calls per write. @default true
   */
  readonly makeFolders?: boolean;
  /**
   * Sync the folder after the rename, so the rename is on disk when the write resolves. A caller
   * writing many files into few folders passes false and calls `syncFolder` once per folder before
   * it reports them stored. @default true
   */
  readonly syncFolder?: boolean;
}

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  if (options.makeFolders ?? true) {
    await mkdir(dir, {
      recursive: true,
      ...(options.dirMode === undefined ? {} : { mode: options.dirMode }),
    });
    if (options.tempDir !== undefined) await mkdir(options.tempDir, { recursive: true });
  }
  const { temp, fd } = await createTemp(
    path.join(options.tempDir ?? dir, `.${path.basename(file)}`),
    options.mode ?? 0o644,
  );
  // Only the creation, the fsync and the rename wait in the thread pool: each of those can take
  // milliseconds. Writing into the page cache and closing take microseconds in place, where a round
  // trip through the pool and a FileHandle's promises cost tens of them (50 KB configs on tmpfs:
  // 147 -> 72 us of CPU per file).
  try {
    try {
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      await fsyncAsync(fd);
    } finally {
      closeSync(fd);
    }
    await renameAsync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  // The rename itself must reach the disk before we report success.
  if (options.syncFolder ?? true) await syncFolder(dir);
}

/** `bytes` written whole at the file's start (a regular file may take fewer bytes a call). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, done);
}

/** Temp names made by this thread so far: with the process and the thread, what makes a name its own. */
let tempNames = 0;

/**
 * `PREFIX.<pid>-<thread>-<count>.tmp`: no other write of this process, or of another one running,
 * uses that name, where a random suffix cost a crypto call per write (5-20 us in Node 20). A file of
 * that name left by a dead process that had the same pid is stepped over: the caller creates the
 * temp file exclusively and asks for the next name when it exists.
 */
export function tempName(prefix: string): string {
  tempNames += 1;
  return `${prefix}.${process.pid}-${threadId}-${tempNames.toString(36)}.tmp`;
}

/** A new temp file `tempName(prefix)`, opened for writing, created by this call and no other. */
async function createTemp(prefix: string, mode: number): Promise<{ temp: string; fd: number }> {
  for (;;) {
    const temp = tempName(prefix);
    try {
      return { temp, fd: await openAsync(temp, 'wx', mode) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Puts the folder's entries (the renames into it) on disk. */
export async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
