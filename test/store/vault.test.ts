/**
 * The restore vault on its own: an entry decrypts only with its key, for its host and blob id; the
 * files hold no clear text; the key file is made 0600 on first use, refused when others can read
 * it, and a rotated key file (new key first, old one kept) still reads old entries.
 */
import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetopsError } from '../../src/core/errors.js';
import { blobId } from '../../src/store/git.js';
import { Vault, vaultEntryId } from '../../src/store/vault.js';
import { newKeyLine } from '../../src/store/vault-key.js';
import { vaultLocation } from '../../src/store/vault-settings.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-vault-');
const clear = 'hostname r1\nenable secret 0 Sup3rS3cret\nsnmp-server community c0mmunityX RO\nend\n';
const sanitized = 'hostname r1\nenable secret 0 <removed>\nsnmp-server community <removed> RO\nend\n';

function place(name: string) {
  const store = path.join(dir, name, 'store');
  return {
    store,
    location: vaultLocation(
      path.join(dir, name),
      store,
      { enabled: true },
      { NETOPS_STATE_DIR: path.join(dir, name, 'state') },
    ),
  };
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function refusal(promise: Promise<unknown>): Promise<NetopsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetopsError);
  return error as NetopsError;
}

describe('restore vault', () => {
  it('keeps the clear config under the blob id of its sanitized form, encrypted, 0600', async () => {
    const { store, location } = place('a');
    const vault = await Vault.open(location, store, { write: true });
    expect(vault.keyCreated).toBe(true);
    const put = await vault.put('r1', sanitized, clear);
    expect(put).toEqual({ id: blobId(sanitized, 'sha1'), written: true });
    expect(await vault.get('r1', put.id)).toBe(clear);

    // The vault sits beside the store, the key under the state dir; neither file holds a secret in clear.
    expect(location.dir).toBe(`${store}.vault`);
    const entry = vault.entryFile('r1', put.id);
    const bytes = await readFile(entry);
    for (const secret of ['Sup3rS3cret', 'c0mmunityX', 'hostname r1'])
      expect(bytes.includes(secret)).toBe(false);
    expect((await stat(entry)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(entry))).mode & 0o777).toBe(0o700);
    expect((await stat(location.keyFile)).mode & 0o777).toBe(0o600);
    const key = (await readFile(location.keyFile, 'utf8')).trim();
    expect(bytes.includes(Buffer.from(key, 'base64'))).toBe(false);

    // The same sanitized text again: the entry is kept, not rewritten.
    expect((await vault.put('r1', sanitized, clear)).written).toBe(false);
    expect(await filesUnder(location.dir)).toEqual([entry]);
  });

  it('an entry is bound to its host and name, and to its bytes', async () => {
    const { store, location } = place('b');
    const vault = await Vault.open(location, store, { write: true });
    const { id } = await vault.put('r1', sanitized, clear);
    // Copied to another host's folder: the authenticated data names r1, so it does not open as r2's.
    await mkdir(path.join(location.dir, 'r2'), { recursive: true });
    await writeFile(vault.entryFile('r2', id), await readFile(vault.entryFile('r1', id)));
    expect((await refusal(vault.get('r2', id))).code).toBe('VAULT_FAILED');
    // One flipped bit of the ciphertext fails the GCM tag.
    const bytes = await readFile(vault.entryFile('r1', id));
    bytes[bytes.length - 3]! ^= 1;
    await writeFile(vault.entryFile('r1', id), bytes);
    const tampered = await refusal(vault.get('r1', id));
    expect(tampered.code).toBe('VAULT_FAILED');
    expect(tampered.message).toContain('integrity');
  });

  it('a revision with no entry is NOT_RESTORABLE; a restore never makes a key', async () => {
    const { store, location } = place('c');
    const reader = await Vault.open(location, store, { write: false });
    expect(await stat(location.keyFile).catch(() => 'none')).toBe('none');
    const never = await refusal(reader.get('r1', vaultEntryId(sanitized)));
    expect(never.code).toBe('NOT_RESTORABLE');
    expect(never.message).toContain('no unsanitized copy');
    const writer = await Vault.open(location, store, { write: true });
    const { id } = await writer.put('r1', sanitized, clear);
    expect((await refusal(writer.get('r1', vaultEntryId('hostname r1\nend\n')))).code).toBe('NOT_RESTORABLE');
    // The key file lost: the entry is there, but unreadable, and the error says so.
    await rm(location.keyFile);
    const lost = await refusal((await Vault.open(location, store, { write: false })).get('r1', id));
    expect(lost.code).toBe('VAULT_FAILED');
    expect(lost.message).toContain(`its key file ${location.keyFile} does not exist`);
  });

  it('refuses a key file others can read, and a vault or key inside the store', async () => {
    const { store, location } = place('d');
    await Vault.open(location, store, { write: true });
    await chmod(location.keyFile, 0o644);
    const open = await refusal(Vault.open(location, store, { write: true }));
    expect(open.code).toBe('VAULT_FAILED');
    expect(open.hint).toContain(`chmod 600 ${location.keyFile}`);
    const inside = await refusal(
      Vault.open({ ...location, dir: path.join(store, 'vault') }, store, { write: true }),
    );
    expect(inside.code).toBe('CONFIG_INVALID');
    expect(inside.message).toContain('inside the store');
  });

  it('key rotation: a new first key writes new entries, the old line still reads old ones', async () => {
    const { store, location } = place('e');
    const before = await Vault.open(location, store, { write: true });
    const old = await before.put('r1', sanitized, clear);
    const oldKey = await readFile(location.keyFile, 'utf8');
    await writeFile(location.keyFile, `${newKeyLine()}# the key before 2026-11-29\n${oldKey}`, {
      mode: 0o600,
    });
    const after = await Vault.open(location, store, { write: true });
    expect(await after.get('r1', old.id)).toBe(clear);
    // Written again with the first key: rotation re-encrypts entries as backups meet them.
    expect((await after.put('r1', sanitized, clear)).written).toBe(true);
    // Once re-encrypted, the old key is no longer needed for that entry.
    await writeFile(location.keyFile, (await readFile(location.keyFile, 'utf8')).split('\n')[0]!, {
      mode: 0o600,
    });
    const newOnly = await Vault.open(location, store, { write: false });
    expect(await newOnly.get('r1', old.id)).toBe(clear);
    // Without the key it was written with, an entry cannot be read, and the error says which key.
    await writeFile(location.keyFile, newKeyLine(), { mode: 0o600 });
    const lost = await refusal((await Vault.open(location, store, { write: false })).get('r1', old.id));
    expect(lost.code).toBe('VAULT_FAILED');
    expect(lost.message).toMatch(/written with key [0-9a-f]{16}, which the key file does not hold/);
  });
});
