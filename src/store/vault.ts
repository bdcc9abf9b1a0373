/**
 * The restore vault: the unsanitized config of every stored backup, encrypted at rest, beside the
 * store (never in it). An entry is named by the git blob id of the sanitized config the store
 * committed for it (`VAULT/HOST/BLOB.enc`), so any revision of `configs/HOST.cfg` leads to its
 * clear text: revision -> blob -> entry.
 *
 * Construction (AES-256-GCM, Node's crypto), one file per entry:
 *
 *   "NETOPSV1" (8 bytes) | key id (8) | nonce (12, random) | GCM tag (16) | ciphertext
 *
 * The additional authenticated data is the first 28 bytes (magic, key id, nonce) followed by
 * `HOST\nBLOB`: an entry moved to another host or another name does not decrypt. Not compressed:
 * the size of a compressed secret-bearing text leaks what it holds to whoever can make the device
 * config change (descriptions) and watch the vault.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { open as openFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { namePattern } from '../config/inventory-schema.js';
import { blobId } from './git.js';
import { loadVaultKeys, type VaultKey, type VaultKeys } from './vault-key.js';
import type { VaultLocation } from './vault-settings.js';

const MAGIC = Buffer.from('NETOPSV1', 'ascii');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 8 + NONCE_BYTES;

/** The vault entry id of a sanitized config: its git blob id (SHA-1 object format, git's default). */
export function vaultEntryId(sanitized: string): string {
  return blobId(sanitized, 'sha1');
}

export interface PutResult {
  readonly id: string;
  /** false: an entry for this blob was already there, written with the current key. */
  readonly written: boolean;
}

export class Vault {
  readonly dir: string;
  readonly keyFile: string;
  /** Undefined when a reader found no key file: nothing was ever written with one. */
  readonly #keys: VaultKeys | undefined;

  private constructor(location: VaultLocation, keys: VaultKeys | undefined) {
    this.dir = location.dir;
    this.keyFile = location.keyFile;
    this.#keys = keys;
  }

  /**
   * Opens the vault of the store in `storeDir`. `write`: a backup run, which creates the key on
   * first use; a restore only reads and never makes a key (without one, every entry it asks for is
   * either missing, NOT_RESTORABLE, or unreadable for want of the key, VAULT_FAILED).
   */
  static async open(location: VaultLocation, storeDir: string, options: { write: boolean }): Promise<Vault> {
    checkPlaces(location, storeDir);
    const keys = await loadVaultKeys(location.keyFile, { create: options.write });
    return new Vault(location, keys);
  }

  /** A new key file was made by this open (say so: older entries, if any, need the old key). */
  get keyCreated(): boolean {
    return this.#keys?.created ?? false;
  }

  entryFile(host: string, id: string): string {
    if (!namePattern.test(host) || !/^[0-9a-f]{40}$/.test(id)) {
      throw new NetopsError('VAULT_FAILED', `${JSON.stringify(`${host}/${id}`)} is not a vault entry name`, {
        hint: 'Vault entries are named HOST/BLOB.enc: an inventory host name and a 40-digit git blob id.',
      });
    }
    return path.join(this.dir, host, `${id}.enc`);
  }

  /**
   * Keeps `clear`, the unsanitized form of `sanitized` (what the store wrote for `host`). An entry
   * already written with the current key is kept: the first clear text seen for a sanitized text is
   * the one of the commit that stored it.
   */
  async put(host: string, sanitized: string, clear: string): Promise<PutResult> {
    const keys = this.#keysFor('write to');
    const id = vaultEntryId(sanitized);
    const file = this.entryFile(host, id);
    if ((await this.#entryKeyId(file)) === keys.current.id) return { id, written: false };
    const sealed = seal(clear, keys.current, aad(host, id));
    await writeFileAtomic(file, sealed, { mode: 0o600, dirMode: 0o700 });
    return { id, written: true };
  }

  async has(host: string, id: string): Promise<boolean> {
    return (await this.#entryKeyId(this.entryFile(host, id))) !== undefined;
  }

  /** The clear config of entry `id` of `host`; NOT_RESTORABLE when there is none. */
  async get(host: string, id: string): Promise<string> {
    const file = this.entryFile(host, id);
    const data = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw vaultError(file, `cannot be read (${error.message})`);
      throw new NetopsError(
        'NOT_RESTORABLE',
        `${host}: the vault ${this.dir} has no unsanitized copy of blob ${id}; the store holds only its masked form, which cannot be installed`,
        {
          hint: 'Only backups taken while the job had `restore:` enabled can be restored; pick a later revision (`netops history HOST`), or install a config with the real secrets by `startup-config`.',
          host,
          details: { blob: id, vault: this.dir },
        },
      );
    });
    return unseal(data, this.#keysFor('read'), aad(host, id), file);
  }

  #keysFor(what: string): VaultKeys {
    if (this.#keys) return this.#keys;
    throw new NetopsError(
      'VAULT_FAILED',
      `cannot ${what} the vault ${this.dir}: its key file ${this.keyFile} does not exist`,
      {
        hint: 'The vault cannot be read without its key. If the key is lost, the encrypted configs are too: see docs/restore.md, "Key loss".',
      },
    );
  }

  async #entryKeyId(file: string): Promise<string | undefined> {
    const handle = await openFile(file, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const head = Buffer.alloc(MAGIC.length + 8);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (bytesRead < head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) return 'unreadable';
      return head.subarray(MAGIC.length).toString('hex');
    } finally {
      await handle.close();
    }
  }
}

function aad(host: string, id: string): Buffer {
  return Buffer.from(`${host}\n${id}`, 'utf8');
}

function seal(clear: string, key: VaultKey, context: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([MAGIC, Buffer.from(key.id, 'hex'), nonce]);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, context]));
  const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  return Buffer.concat([header, cipher.getAuthTag(), body]);
}

function unseal(data: Buffer, keys: VaultKeys, context: Buffer, file: string): string {
  if (data.length < HEADER_BYTES + TAG_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw vaultError(file, 'is not a vault entry (no NETOPSV1 header)');
  }
  const id = data.subarray(MAGIC.length, MAGIC.length + 8).toString('hex');
  const key = keys.byId.get(id);
  if (!key) {
    throw new NetopsError(
      'VAULT_FAILED',
      `vault entry ${file} was written with key ${id}, which the key file does not hold`,
      {
        hint: 'Add that key back to the key file (any line after the first); if it is lost, this entry is too: see docs/restore.md, "Key loss".',
        details: { keyId: id, known: [...keys.byId.keys()] },
      },
    );
  }
  const header = data.subarray(0, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.key, header.subarray(MAGIC.length + 8), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.concat([header, context]));
  decipher.setAuthTag(data.subarray(HEADER_BYTES, HEADER_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(data.subarray(HEADER_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw vaultError(file, 'fails its integrity check (changed, cut, or moved from another host or name)');
  }
}

function vaultError(file: string, what: string): NetopsError {
  return new NetopsError('VAULT_FAILED', `vault entry ${file} ${what}`, {
    hint: 'Restore another revision, or put the entry back from a backup of the vault folder.',
  });
}

/** The vault and its key stay out of the store (git would keep them for ever), the key out of the vault. */
function checkPlaces(location: VaultLocation, storeDir: string): void {
  const inside = (child: string, parent: string) => {
    const rel = path.relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const problem = inside(location.dir, storeDir)
    ? `the vault folder ${location.dir} is inside the store ${storeDir}`
    : inside(location.keyFile, storeDir)
      ? `the vault key ${location.keyFile} is inside the store ${storeDir}`
      : inside(location.keyFile, location.dir)
        ? `the vault key ${location.keyFile} is inside the vault ${location.dir}`
        : undefined;
  if (problem) {
    throw new NetopsError('CONFIG_INVALID', problem, {
      hint: 'Set restore.vault and restore.key outside the store folder (the defaults are), and the key outside the vault.',
    });
  }
}
