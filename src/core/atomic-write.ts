/**
 * Atomic file replacement: readers see the old file or the new one, never a partial write, even if
 * the process or the machine dies mid-way (temp file, fsync, rename, fsync folder). The temp file
 * goes beside the target unless `tempDir` names a folder on the same file system: a folder that
 * scans the target's (a git working tree) must not find temp files a killed write left behind.
 */
import { open, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

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
  const temp = path.join(
    options.tempDir ?? dir,
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o644);
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

/** Puts the folder's entries (the renames into it) on disk. */
export async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
