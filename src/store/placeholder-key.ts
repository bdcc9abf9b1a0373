/**
 * Keyed-hash placeholders: a secret value becomes `<secret:7f3a9c>`, the first 24 bits of
 * HMAC-SHA256(store key, value). The same value always gives the same placeholder and a changed
 * value a different one (a clash needs 1 chance in 16.7 million), so a diff shows that a community
 * changed without showing either value; without the key, a placeholder cannot be checked against
 * guesses. The key is per store, kept outside it in the store's state folder (`store-state.ts`),
 * 0600, made on first use; it never goes into the store, a log or a record.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../core/errors.js';
import { KEYED_PLACEHOLDER, MASK } from './rules.js';
import { storeStateDir } from './store-state.js';

/** The key file's name in the store's state folder. */
export const KEY_FILE = 'placeholder.key';

const keyText = /^[0-9a-f]{64}$/;

/** The store's key (read, or made and kept on first use). */
export async function placeholderKey(store: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const file = path.join(await storeStateDir(store, env), KEY_FILE);
  const existing = await readPlaceholderKey(file);
  if (existing) return existing;
  await createKey(file);
  return (await readPlaceholderKey(file)) as Buffer;
}

/** Distinct secrets one placeholder function remembers; beyond, it starts over (memory stays bounded). */
export const REMEMBERED_SECRETS = 20_000;

/**
 * The placeholder for one secret value under `key`. An HMAC costs about 2 µs and an IOS config holds
 * a hundred secrets, most of them the same on every device of a fleet (communities, enable and line
 * passwords, keys): the function is made once per run and remembers each value's placeholder, so a
 * value shared by many hosts is hashed once. The values stay in this process's memory only, as the
 * configs holding them do.
 */
export function keyedPlaceholder(key: Buffer): (secret: string) => string {
  const known = new Map<string, string>();
  return (secret) => {
    let placeholder = known.get(secret);
    if (placeholder === undefined) {
      placeholder = `<secret:${createHmac('sha256', key).update(secret).digest('hex').slice(0, 6)}>`;
      if (known.size >= REMEMBERED_SECRETS) known.clear();
      known.set(ownCopy(secret), placeholder);
    }
    return placeholder;
  };
}

/**
 * `text` in a string of its own. A secret cut from a device's output is a slice of it: kept as a
 * key, it would keep the whole output (50 KB) alive for the run, each host's own secrets a whole
 * config (a 10,000-host run grew to 965 MB RSS by host 8,767). A structured clone is an exact
 * copy, lone surrogates included.
 */
function ownCopy(text: string): string {
  return structuredClone(text);
}

/** The key in `file`, or undefined when there is none (a worker reads the store's key, never makes one). */
export async function readPlaceholderKey(file: string): Promise<Buffer | undefined> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return undefined;
  if ((info.mode & 0o077) !== 0) {
    throw new NetopsError(
      'STORE_FAILED',
      `the placeholder key ${file} can be read by others (mode ${(info.mode & 0o777).toString(8)})`,
      { hint: `Run chmod 600 ${file}; anyone holding the key can test guesses against the placeholders.` },
    );
  }
  const text = (await readFile(file, 'utf8')).trim();
  if (!keyText.test(text)) {
    throw new NetopsError('STORE_FAILED', `the placeholder key ${file} is not 64 hex digits`, {
      hint: `Restore the file from your backup of the state folder, or remove it: a new key changes every placeholder once.`,
    });
  }
  return Buffer.from(text, 'hex');
}

/**
 * Written whole to a temporary file, then linked into place: a reader never sees half a key, and
 * of two processes creating one at once, one key wins and both use it.
 */
async function createKey(file: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The commit note's reason when a host's stored text changes placeholder form (the first backup
 * after the switch to keyed placeholders, or back): every masked line changes once, and the reader
 * of the diff must not take that for changed secrets.
 */
export function placeholderSwitch(previous: string | undefined, next: string): string | undefined {
  if (previous === undefined) return undefined;
  const forms = (text: string) => ({ keyed: KEYED_PLACEHOLDER.test(text), removed: text.includes(MASK) });
  const was = forms(previous);
  const now = forms(next);
  if (was.removed && !was.keyed && now.keyed && !now.removed)
    return 'secret placeholders are now keyed hashes (<secret:...>): every masked line changes once, whether or not its secret changed';
  if (was.keyed && !now.keyed && now.removed)
    return 'secret placeholders are now <removed> (store.placeholders: removed): every masked line changes once';
  return undefined;
}
