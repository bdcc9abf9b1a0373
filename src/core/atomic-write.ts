/**
 * Atomic file replacement: readers see the old file or the new one, never a partial write, even if
 * the process or the machine dies mid-way (temp file, fsync, rename, fsync folder). The temp file
 * goes beside the target unless `tempDir` names a folder on the same file system: a folder that
 * scans the target's (a git working tree) must not find temp files a killed write left behind.
 */
import { open, rename, rm, mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

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
  const { temp, handle } = await createTemp(
    path.join(options.tempDir ?? dir, `.${path.basename(file)}`),
    options.mode ?? 0o644,
  );
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename itself must reach the disk before we report success.
  if (options.syncFolder ?? true) await syncFolder(dir);
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
async function createTemp(prefix: string, mode: number): Promise<{ temp: string; handle: FileHandle }> {
  for (;;) {
    const temp = tempName(prefix);
    try {
      return { temp, handle: await open(temp, 'wx', mode) };
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
