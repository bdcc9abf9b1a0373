/**
 * The standalone server's files under its root: names are checked before any path is built, the
 * folder a name lands in is resolved with realpath and must lie under the root's real path, and the
 * file itself is opened without following a symbolic link, so no link leads a read or a write out of
 * the root. Uploads are committed atomically (upload-file.ts: temp file, fsync, then link or rename), so a reader
 * never sees a half-written file and an interrupted or refused transfer leaves nothing behind.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { TFTP_ERROR } from './packet.js';

/** A request the root cannot satisfy, with the TFTP error to answer it with. */
export class FileRefused extends Error {
  override readonly name = 'FileRefused';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The path of `filename` under `root`; absolute names, `..` segments and control bytes are refused. */
export function pathUnderRoot(root: string, filename: string): string {
  const refuse = (why: string) => new FileRefused(TFTP_ERROR.ACCESS_VIOLATION, `${why}: "${filename}"`);
  if (/^([/\\]|[a-zA-Z]:)/.test(filename)) throw refuse('absolute paths are refused');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(filename)) throw refuse('control characters are refused');
  const segments = filename.split(/[/\\]/);
  if (segments.some((s) => s === '..')) throw refuse('".." in a path is refused');
  if (segments.some((s) => s === '')) throw refuse('empty path segments are refused');
  const base = resolve(root);
  const full = resolve(base, ...segments);
  if (!full.startsWith(base + sep)) throw refuse('the path leaves the root');
  return full;
}

/**
 * `filename` under the root's real path, with the folder it lands in resolved through any links:
 * a folder that is (or passes through) a link leading out of the root is refused. The last component
 * is not resolved here; reads and writes refuse it when it is a link.
 */
export async function realPathUnderRoot(root: string, filename: string): Promise<string> {
  const lexical = pathUnderRoot(root, filename);
  const realRoot = await realpath(root);
  const folder = await realpath(dirname(lexical)).catch(() => undefined);
  if (folder === undefined) throw new FileRefused(TFTP_ERROR.FILE_NOT_FOUND, 'No such directory');
  if (folder !== realRoot && !folder.startsWith(realRoot + sep)) {
    throw new FileRefused(
      TFTP_ERROR.ACCESS_VIOLATION,
      `the path leaves the root through a symbolic link: "${filename}"`,
    );
  }
  return join(folder, basename(lexical));
}

const linkRefused = (path: string) =>
  new FileRefused(TFTP_ERROR.ACCESS_VIOLATION, `symbolic links are not followed: "${basename(path)}"`);

/**
 * Opens a file to serve (never through a link); missing files are ERROR 1, too large ones ERROR 3.
 * The size is that of what was opened, not of whatever the name points at by now. The caller closes it.
 */
export async function openServedFile(
  path: string,
  maxBytes: number,
): Promise<{ handle: FileHandle; size: number }> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw linkRefused(path);
    throw new FileRefused(TFTP_ERROR.FILE_NOT_FOUND, 'File not found');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileRefused(TFTP_ERROR.FILE_NOT_FOUND, 'File not found');
    if (info.size > maxBytes) {
      throw new FileRefused(
        TFTP_ERROR.DISK_FULL,
        `file of ${info.size} bytes exceeds the limit of ${maxBytes} bytes`,
      );
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole file to serve, with the checks of openServedFile. */
export async function readServedFile(path: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openServedFile(path, maxBytes);
  try {
    return await readWhole(handle, size);
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes in as few reads as the OS allows: readFile() reads in 512 KiB pieces, each a
 * round trip through the thread pool, which on a busy machine took longer than sending the file.
 * A file that shrank since stat ends where it ends; bytes added since are not read.
 */
async function readWhole(handle: FileHandle, size: number): Promise<Buffer> {
  const data = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(data, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? data : data.subarray(0, filled);
}

/** Refuses early (before any data) an upload that could not be committed. */
export async function checkWritable(path: string, overwrite: boolean): Promise<void> {
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new FileRefused(TFTP_ERROR.FILE_NOT_FOUND, 'No such directory');
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw linkRefused(path);
  if (!overwrite && existing) throw new FileRefused(TFTP_ERROR.FILE_EXISTS, 'File already exists');
}
