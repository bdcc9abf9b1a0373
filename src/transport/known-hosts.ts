/**
 * Pinned SSH host keys, one line per device: `HOST` or `[HOST]:PORT`, `KEYTYPE BASE64` (the OpenSSH known_hosts
 * shape, unhashed, so an engineer can read and edit it). A key is trusted on first use only when
 * asked; a changed key is always refused, showing both fingerprints and how to accept the new one.
 *
 * A run of 1,000 devices checks 1,000 keys at once: the file is read once and read again only when
 * it changed on disk (an engineer's edit, another netops process), and keys pinned together go to
 * disk in one write. Reading and rewriting the whole file per login made the logins wait on each
 * other, each behind a read, a write and two fsyncs of a file that grows with the fleet.
 *
 * New keys are appended, as OpenSSH appends them: one write of the new lines and an fsync. A first
 * run pins its keys in hundreds of small batches, and rewriting the whole file for each (a temp
 * file, its fsync, the rename and the folder's fsync, up to 100 KB at 1,000 devices) cost 2.2-2.5 ms
 * of CPU per new key, appending 0.8-0.9, a key already pinned 0.2-0.3 (bench/store/new-host-keys.mjs).
 * The file is created whole only when it does not exist yet.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { stateDir } from '../core/state-dir.js';

export function defaultKnownHostsFile(): string {
  return path.join(stateDir(), 'known-hosts');
}

/** OpenSSH's `SHA256:...` fingerprint of a key blob (base64 without padding). */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first string of the SSH wire blob (uint32 length + bytes). */
function keyType(keyBlob: Buffer): string {
  const length = keyBlob.length >= 4 ? keyBlob.readUInt32BE(0) : 0;
  return length > 0 && length < 64 ? keyBlob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

export interface HostKeyCheck {
  readonly file: string;
  /** What the key is pinned under: the address as written, `[address]:port` unless the port is 22. */
  readonly id: string;
  readonly trustNew: boolean;
  readonly host?: string | undefined;
}

/** One known-hosts file as this process last read it, plus the keys it pinned and has not written yet. */
class KnownHostsFile {
  readonly #file: string;
  #lines: string[] = [];
  /** id -> index of its first line (the one OpenSSH would use too). */
  #index = new Map<string, number>();
  /** Size, mtime and inode of the file as last read or written: anything else means it changed. */
  #stamp: string | undefined;
  #refreshing: Promise<void> | undefined;
  /** Lines pinned and not written yet: the next write takes them, a re-read keeps them. */
  #unwritten: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  /** A write of this process is changing the file now. */
  #ownWrite = false;
  #next: Promise<void> | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  /** Makes the copy in memory current: one stat, and a read only when the file changed. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#reload().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** The pinned line of `id`: its 1-based number and key. */
  lookup(id: string): { line: number; key: string } | undefined {
    const index = this.#index.get(id);
    if (index === undefined) return undefined;
    return { line: index + 1, key: (this.#lines[index] as string).split(' ')[2] ?? '' };
  }

  /** Adds a line; resolves once it is on disk, written together with every line pinned meanwhile. */
  pin(id: string, line: string): Promise<void> {
    this.#add(id, line);
    this.#unwritten.push(line);
    this.#next ??= this.#writing
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        this.#writing = this.#write();
        return this.#writing;
      });
    return this.#next;
  }

  #add(id: string, line: string): void {
    if (!this.#index.has(id)) this.#index.set(id, this.#lines.length);
    this.#lines.push(line);
  }

  async #reload(): Promise<void> {
    // The file changes under this process's own write: what it will hold is in memory already, and
    // its stamp is taken once the write is done. Read now, it would be read whole once per write.
    if (this.#ownWrite) return;
    const stamp = stampOf(this.#file);
    if (stamp === this.#stamp) return;
    const text = stamp === undefined ? '' : await readFile(this.#file, 'utf8').catch(absentAsEmpty);
    this.#stamp = stamp;
    this.#lines = [];
    this.#index = new Map();
    for (const line of text.split('\n')) if (line.trim() !== '') this.#add(idOf(line), line);
    // Pinned here and not written yet: kept on top of what another writer put on disk meanwhile.
    for (const line of this.#unwritten) this.#add(idOf(line), line);
  }

  async #write(): Promise<void> {
    await this.refresh();
    const written = this.#unwritten;
    this.#unwritten = [];
    this.#ownWrite = true;
    try {
      // No file when last read: created whole, its name synced into the folder.
      if (this.#stamp === undefined)
        await writeFileAtomic(this.#file, `${this.#lines.join('\n')}\n`, { mode: 0o600 });
      // An earlier write may have taken every line pinned before this one was scheduled.
      else if (written.length > 0) await appendLines(this.#file, written);
      this.#stamp = stampOf(this.#file);
    } catch (error) {
      // Not on disk: pending again, and the file is read afresh before the next write.
      this.#unwritten = [...written, ...this.#unwritten];
      this.#stamp = undefined;
      throw error;
    } finally {
      this.#ownWrite = false;
    }
  }
}

/**
 * Appends `lines` and syncs them to disk. A file that does not end with a line feed (an editor's
 * last line) gets one first, so the new lines never join it. Only the fsync waits in the thread
 * pool: the open, the look at the last byte and a write of a few lines into the page cache take
 * microseconds in place, where each round trip through the pool costs tens of them.
 */
async function appendLines(file: string, lines: readonly string[]): Promise<void> {
  const fd = openSync(file, 'a+', 0o600);
  try {
    const { size } = fstatSync(fd);
    const last = Buffer.alloc(1, 0x0a);
    if (size > 0) readSync(fd, last, 0, 1, size - 1);
    writeSync(fd, `${last[0] === 0x0a ? '' : '\n'}${lines.join('\n')}\n`);
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
  } finally {
    closeSync(fd);
  }
}

function idOf(line: string): string {
  return line.split(' ')[0] as string;
}

/**
 * Size, mtime and inode, read synchronously: every login asks, and a stat of a local file costs a
 * few microseconds in place against some 30 of CPU through the thread pool and its promise.
 */
function stampOf(file: string): string | undefined {
  try {
    const info = statSync(file, { bigint: true });
    return `${info.size}:${info.mtimeNs}:${info.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function absentAsEmpty(error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
  throw error;
}

const files = new Map<string, KnownHostsFile>();

/** What verifies a new key to pin, when not this thread: see `pinThrough`. */
let pinner: ((check: HostKeyCheck, keyBlob: Buffer) => Promise<'known' | 'pinned'>) | undefined;

/**
 * In a worker thread (runner/host-thread.ts): a new key to pin is verified and pinned by `verify`,
 * the main thread's verifyHostKey. Each thread reads the file on its own, but two threads writing it
 * would each write the file as they last read it and drop the other's new lines: one writer pins.
 */
export function pinThrough(verify: typeof pinner): void {
  pinner = verify;
}

/** Resolves with `known` or `pinned`; throws HOSTKEY_UNKNOWN or HOSTKEY_CHANGED. */
export async function verifyHostKey(check: HostKeyCheck, keyBlob: Buffer): Promise<'known' | 'pinned'> {
  const file = path.resolve(check.file);
  let known = files.get(file);
  if (!known) files.set(file, (known = new KnownHostsFile(file)));
  const type = keyType(keyBlob);
  const presented = keyBlob.toString('base64');
  const hostOpt = check.host === undefined ? {} : { host: check.host };
  await known.refresh();
  // No await from here to pin(): two logins to the same new id cannot both pin it.
  const pinned = known.lookup(check.id);
  if (pinned) {
    if (pinned.key === presented) return 'known';
    const was = fingerprint(Buffer.from(pinned.key, 'base64'));
    const now = fingerprint(keyBlob);
    throw new NetopsError(
      'HOSTKEY_CHANGED',
      `host key of ${check.id} changed: pinned ${was}, presented ${type} ${now}`,
      {
        hint: `If the device was replaced or re-keyed on purpose, check ${now} on its console (show ip ssh / show crypto key mypubkey), then delete line ${pinned.line} of ${check.file} and connect once with trustNewHostKey (--trust-new-hosts). Otherwise treat it as an attack.`,
        ...hostOpt,
        details: { pinned: was, presented: now, file: check.file, line: pinned.line },
      },
    );
  }
  if (!check.trustNew) {
    throw new NetopsError(
      'HOSTKEY_UNKNOWN',
      `host key of ${check.id} is not pinned yet (${type} ${fingerprint(keyBlob)})`,
      {
        hint: `Check the fingerprint on the device, then run once with --trust-new-hosts (or set ssh.trustNewHostKey for this host) to pin it in ${check.file}.`,
        ...hostOpt,
        details: { presented: fingerprint(keyBlob), file: check.file },
      },
    );
  }
  if (pinner) return pinner(check, keyBlob);
  await known.pin(check.id, `${check.id} ${type} ${presented}`);
  return 'pinned';
}
