/**
 * The standalone server's files under its root: names are checked before any path is built, and
 * uploads are committed atomically (temp file, fsync, then link or rename), so a reader never sees a
 * half-written file and an interrupted or refused transfer leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
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

async function errnoOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

/** Reads a file to serve; missing files are ERROR 1, too large ones ERROR 3. */
export async function readServedFile(path: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new FileRefused(TFTP_ERROR.FILE_NOT_FOUND, 'File not found');
  if (info.size > maxBytes) {
    throw new FileRefused(
      TFTP_ERROR.DISK_FULL,
      `file of ${info.size} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }
  const handle = await open(path, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Refuses early (before any data) an upload that could not be committed. */
export async function checkWritable(path: string, overwrite: boolean): Promise<void> {
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new FileRefused(TFTP_ERROR.FILE_NOT_FOUND, 'No such directory');
  if (!overwrite && (await stat(path).catch(() => undefined))) {
    throw new FileRefused(TFTP_ERROR.FILE_EXISTS, 'File already exists');
  }
}

/** Writes `data` to `path` atomically; without `overwrite` an existing file is never replaced. */
export async function commitFile(path: string, data: Buffer, overwrite: boolean): Promise<void> {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tftp-partial`);
  const handle = await open(temp, 'wx', 0o644);
  const written = await errnoOf(handle.writeFile(data).then(() => handle.sync()));
  await handle.close();
  if (written) {
    await unlink(temp).catch(() => undefined);
    throw new FileRefused(TFTP_ERROR.DISK_FULL, `cannot store the file (${written})`);
  }
  // link() fails if the name exists, so two uploads of one name cannot overwrite each other.
  const failure = await errnoOf(overwrite ? rename(temp, path) : link(temp, path));
  if (!overwrite || failure) await unlink(temp).catch(() => undefined);
  if (failure === 'EEXIST') throw new FileRefused(TFTP_ERROR.FILE_EXISTS, 'File already exists');
  if (failure) throw new FileRefused(TFTP_ERROR.DISK_FULL, `cannot store the file (${failure})`);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
