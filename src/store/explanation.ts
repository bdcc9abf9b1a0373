/**
 * Why the stored file of a host differs from what the device sent: every line of its last backup
 * that a rule masked, dropped or rewrote, with the rule. Kept per host in the store's state folder
 * (`store-state.ts`), beside the store and never in it, replaced by each backup that stores the host;
 * `netops store explain HOST` prints it. It holds masked text only, like the store.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { namePattern } from '../config/inventory-schema.js';
import { tempName } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { blobId } from './git.js';
import type { LineChange } from './line-rules.js';
import { storeStateDir, storeStatePath } from './store-state.js';

/** The explanation's format: 2 added `source`. One of another format is never trusted for `source`. */
export const EXPLANATION_FORMAT = 2;

export interface Explanation {
  readonly format?: typeof EXPLANATION_FORMAT;
  readonly host: string;
  /** The host's platform, whose secret grammar and volatile lines applied. */
  readonly platform: string | undefined;
  /** When the backup was prepared (ISO 8601). */
  readonly at: string;
  /** The stored file, relative to the store (`configs/HOST.cfg`). */
  readonly file: string;
  /**
   * SHA-256 of the stored text, in a record with no `source` (a backup in a worker thread, whose
   * store knows no blob ids; older netops): tells whether the store still holds what this explains.
   * A record with a `source` names the stored text by its blob id there, hashed once by the write.
   */
  readonly sha256?: string;
  /** Lines of the received config. */
  readonly received: number;
  readonly changes: readonly LineChange[];
  /** What lets the next backup of the same received text skip the sanitizer (received-mac.ts). */
  readonly source?: ReceivedSource;
}

export interface ReceivedSource {
  /** MAC of everything that shaped the stored copy (rules, settings, version). */
  readonly shape: string;
  /** MAC of that and the received text. */
  readonly mac: string;
  /** The stored copy's git blob id. */
  readonly blob: string;
  /** Secrets masked and lines dropped: the backup's result, the same for the same text and shape. */
  readonly masked: number;
  readonly dropped: number;
}

export const contentDigest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Whether `stored`, the store's file now, is the text the explanation explains. */
export function explainsText(explanation: Explanation, stored: Buffer): boolean {
  const blob = explanation.source?.blob;
  if (blob !== undefined) return blobId(stored, blob.length === 64 ? 'sha256' : 'sha1') === blob;
  return createHash('sha256').update(stored).digest('hex') === explanation.sha256;
}

const explainFolder = (dir: string) => path.join(dir, 'explain');
const explanationFile = (dir: string, host: string) => path.join(explainFolder(dir), `${host}.json`);

/**
 * `explain/` folders made or being made, so each host's write is one file write and one rename: the
 * promise, since a first run's sessions write their first explanations all at once.
 */
const folders = new Map<string, Promise<unknown>>();

export async function writeExplanation(
  store: string,
  explanation: Explanation,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const file = explanationFile(await storeStateDir(store, env), explanation.host);
  const dir = path.dirname(file);
  let made = folders.get(dir);
  if (!made) {
    made = mkdir(dir, { recursive: true, mode: 0o700 });
    folders.set(dir, made);
    // A failed mkdir is tried again by the next write (and reported by this one).
    made.catch(() => folders.delete(dir));
  }
  await made;
  // Replaced whole (a reader never sees half of one) but not synced to disk: a crash loses at most
  // the explanations of the last backups, which the next run writes again. Written synchronously: a
  // few KB into the page cache cost less than the thread-pool round trips of the async calls.
  const text = `${serialized(explanation)}\n`;
  let temp = tempName(file);
  try {
    // A name left by a dead process of the same pid is stepped over (tempName).
    while (!createdWith(temp, text)) temp = tempName(file);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes `text` into a new file `temp`, 0600; false when a file of that name exists already. */
function createdWith(temp: string, text: string): boolean {
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The explanation as JSON, its format, host and source first: the next backup of the host reads them
 * from the file's first bytes (`readReceivedSource`), not the whole file (an IOS config's changes are
 * about 18 KB).
 */
function serialized(explanation: Explanation): string {
  const { format, host, source, ...rest } = explanation;
  return JSON.stringify({ format, host, source, ...rest });
}

/** More than a `source` takes (about 250 bytes), with the format and a host name before it. */
const HEAD_BYTES = 1024;

/**
 * The `source` of the host's explanation, or undefined when there is none, or it cannot be read,
 * or it is of another format: then the backup takes the full path. Read synchronously, as written,
 * and only the file's head, where `serialized` puts it.
 */
export async function readReceivedSource(
  store: string,
  host: string,
  env?: NodeJS.ProcessEnv,
): Promise<ReceivedSource | undefined> {
  const file = explanationFile(await storeStateDir(store, env), host);
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, head, 0, HEAD_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const text = head.toString('utf8', 0, length);
  const opening = `{"format":${EXPLANATION_FORMAT},"host":${JSON.stringify(host)},"source":`;
  // The source holds no object or string with a brace in it: its first closing brace ends it.
  const end = text.startsWith(opening) ? text.indexOf('}', opening.length) : -1;
  if (end < 0) return undefined;
  try {
    const source = JSON.parse(text.slice(opening.length, end + 1)) as ReceivedSource | undefined;
    return wellFormed(source) ? source : undefined;
  } catch {
    return undefined;
  }
}

function wellFormed(source: ReceivedSource | undefined): source is ReceivedSource {
  if (typeof source !== 'object' || source === null) return false;
  const { shape, mac, blob, masked, dropped } = source;
  const texts = [shape, mac, blob].every((text) => typeof text === 'string' && text.length > 0);
  return texts && Number.isSafeInteger(masked) && Number.isSafeInteger(dropped);
}

/**
 * The hosts the store's state folder holds an explanation of, in one folder listing: a run skips
 * the explanation of an unchanged config only when one is there.
 */
export async function listExplained(store: string, env?: NodeJS.ProcessEnv): Promise<Set<string>> {
  const names = await readdir(explainFolder(await storeStateDir(store, env))).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return new Set(
    names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)),
  );
}

export async function readExplanation(
  store: string,
  host: string,
  env?: NodeJS.ProcessEnv,
): Promise<Explanation> {
  if (!namePattern.test(host)) {
    throw new NetopsError('CONFIG_INVALID', `"${host}" is not a host name`, {
      hint: 'Name a host as the inventory does: letters, digits and _ . @ -, starting with a letter or digit.',
    });
  }
  const file = explanationFile((await storeStatePath(store, env)).dir, host);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw new NetopsError(
      'CONFIG_UNREADABLE',
      `no backup of ${host} in the store ${store} has been explained`,
      {
        hint: `Run the backup job once (the explanation is written by each backup that stores ${host}, from this version on), and check that --store names the job's store.dir.`,
      },
    );
  });
  return JSON.parse(text) as Explanation;
}
