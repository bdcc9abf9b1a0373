/**
 * The vault's key file: outside the store and the vault, mode 0600 in a 0700 folder, created on
 * first use. One key per line (base64 of 32 random bytes, `#` comments allowed); the first line is
 * the key new entries are written with, later lines are older keys still read (key rotation).
 * Each key is known by its id, the first 8 bytes of its SHA-256, which every entry records.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../core/errors.js';

export const KEY_BYTES = 32;

export interface VaultKey {
  /** 16 hex digits: which key wrote an entry. */
  readonly id: string;
  readonly key: Buffer;
}

export interface VaultKeys {
  /** The key new entries are written with. */
  readonly current: VaultKey;
  readonly byId: ReadonlyMap<string, VaultKey>;
  /** A new key file was made: entries written before it (if any) cannot be read with it. */
  readonly created: boolean;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** A new key file's text: one fresh key. */
export function newKeyLine(): string {
  return `${randomBytes(KEY_BYTES).toString('base64')}\n`;
}

/**
 * Reads the key file; `create` makes it (with one new key) when it does not exist. Without
 * `create`, a missing file is undefined: the vault it belongs to was never written.
 */
export async function loadVaultKeys(file: string, options: { create: true }): Promise<VaultKeys>;
export async function loadVaultKeys(
  file: string,
  options: { create: boolean },
): Promise<VaultKeys | undefined>;
export async function loadVaultKeys(
  file: string,
  options: { create: boolean },
): Promise<VaultKeys | undefined> {
  let created = false;
  if (!(await exists(file))) {
    if (!options.create) return undefined;
    created = await createKeyFile(file);
  }
  await checkMode(file);
  const keys = parseKeys(await readFile(file, 'utf8'), file);
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])), created };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw keyError(file, `cannot read it (${error.message})`, 'Check the path and its permissions.');
    },
  );
}

/** Exclusive create: two processes starting at once cannot each write a different key. */
async function createKeyFile(file: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(newKeyLine());
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw keyError(
      file,
      `cannot create it (${(error as Error).message})`,
      'Check the folder and its permissions.',
    );
  }
}

async function checkMode(file: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    throw keyError(
      file,
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message,
      'The vault cannot be read without its key. If the key is lost, the encrypted configs are too: see docs/restore.md, "Key loss".',
    );
  }
  if ((mode & 0o077) !== 0) {
    throw keyError(
      file,
      `is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')})`,
      `Run \`chmod 600 ${file}\`; whoever can read the key can read every stored password.`,
    );
  }
}

function parseKeys(text: string, file: string): VaultKey[] {
  const keys: VaultKey[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const key = Buffer.from(line, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== line) {
      throw keyError(
        file,
        `line ${i + 1} is not a key (expected base64 of ${KEY_BYTES} bytes)`,
        'Each line holds one key, e.g. from `openssl rand -base64 32`; the first is used for new entries.',
      );
    }
    keys.push({ id: keyId(key), key });
  }
  if (keys.length === 0) {
    throw keyError(file, 'holds no key', 'Put a key on the first line (`openssl rand -base64 32`).');
  }
  return keys;
}

function keyError(file: string, what: string, hint: string): NetopsError {
  return new NetopsError('VAULT_FAILED', `vault key file ${file} ${what}`, { hint });
}
