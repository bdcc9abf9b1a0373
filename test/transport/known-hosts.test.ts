/**
 * Pinned host keys when a whole fleet logs in at once: every first login pins its key (once, even
 * when two logins to the same new device race), a changed key is refused with its line, and what an
 * engineer or another netops process changes in the file during a run is seen and kept; the file is
 * read again only when another writer changed it, never once per key (node:fs/promises' readFile is
 * wrapped to count the reads: a first run of N devices must not read N files of up to N lines).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type * as NodeFsPromises from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { fingerprint, verifyHostKey } from '../../src/transport/known-hosts.js';
import { useTempDir } from '../helpers/fixture.js';

const reads: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFsPromises>();
  return {
    ...fs,
    readFile: (file: string, ...rest: [BufferEncoding]) => {
      reads.push(path.basename(String(file)));
      return fs.readFile(file, ...rest);
    },
  };
});

const dir = useTempDir('netops-kh-');

/** An ssh-ed25519 public key blob in SSH wire form: string type, string key. */
function newKey(): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = randomBytes(32);
  const blob = Buffer.alloc(8 + type.length + key.length);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(key.length, 4 + type.length);
  key.copy(blob, 8 + type.length);
  return blob;
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('known hosts under a fleet of logins', () => {
  it('pins 300 keys presented at once, each on its own line, and knows them all afterwards', async () => {
    const file = path.join(dir, 'fleet');
    const keys = Array.from({ length: 300 }, (_, i) => ({ id: `[127.0.0.1]:${20000 + i}`, key: newKey() }));
    const first = await Promise.all(
      keys.map(({ id, key }) => verifyHostKey({ file, id, trustNew: true }, key)),
    );
    expect(first.every((r) => r === 'pinned')).toBe(true);
    const pinned = lines(file);
    expect(pinned).toHaveLength(300);
    expect(new Set(pinned)).toEqual(
      new Set(keys.map(({ id, key }) => `${id} ssh-ed25519 ${key.toString('base64')}`)),
    );
    const again = await Promise.all(
      keys.map(({ id, key }) => verifyHostKey({ file, id, trustNew: false }, key)),
    );
    expect(again.every((r) => r === 'known')).toBe(true);
  });

  it('pins keys arriving while earlier ones are written in order, one line each and nothing else', async () => {
    const file = path.join(dir, 'trickle');
    const keys = Array.from({ length: 60 }, (_, i) => ({ id: `[127.0.0.1]:${21000 + i}`, key: newKey() }));
    const pinned: Promise<string>[] = [];
    for (const { id, key } of keys) {
      pinned.push(verifyHostKey({ file, id, trustNew: true }, key));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(new Set(await Promise.all(pinned))).toEqual(new Set(['pinned']));
    expect(readFileSync(file, 'utf8')).toBe(
      keys.map(({ id, key }) => `${id} ssh-ed25519 ${key.toString('base64')}\n`).join(''),
    );
  });

  it('pins a new device once when two logins to it race', async () => {
    const file = path.join(dir, 'race');
    const key = newKey();
    const check = { file, id: '198.18.0.1', trustNew: true };
    const results = await Promise.all([verifyHostKey(check, key), verifyHostKey(check, key)]);
    expect(results.sort()).toEqual(['known', 'pinned']);
    expect(lines(file)).toEqual([`198.18.0.1 ssh-ed25519 ${key.toString('base64')}`]);
  });

  it('refuses a changed key, naming both fingerprints and the line to delete', async () => {
    const file = path.join(dir, 'changed');
    const [a, b, c] = [newKey(), newKey(), newKey()];
    await verifyHostKey({ file, id: 'r1', trustNew: true }, a);
    await verifyHostKey({ file, id: 'r2', trustNew: true }, b);
    const error = await verifyHostKey({ file, id: 'r2', trustNew: true }, c).catch((e: unknown) => e);
    expect(isNetopsError(error, 'HOSTKEY_CHANGED')).toBe(true);
    expect((error as Error).message).toContain(fingerprint(b));
    expect((error as Error).message).toContain(fingerprint(c));
    expect((error as { hint: string }).hint).toContain(`delete line 2 of ${file}`);
    expect(lines(file)).toHaveLength(2);
  });

  it('sees keys another process pinned and keeps them when it pins its own', async () => {
    const file = path.join(dir, 'shared');
    const [mine, theirs, later] = [newKey(), newKey(), newKey()];
    await verifyHostKey({ file, id: 'r1', trustNew: true }, mine);
    appendFileSync(file, `r2 ssh-ed25519 ${theirs.toString('base64')}\n`);
    expect(await verifyHostKey({ file, id: 'r2', trustNew: false }, theirs)).toBe('known');
    await verifyHostKey({ file, id: 'r3', trustNew: true }, later);
    expect(lines(file).map((l) => l.split(' ')[0])).toEqual(['r1', 'r2', 'r3']);
  });

  it('puts a new key on a line of its own after a last line an engineer left without a line feed', async () => {
    const file = path.join(dir, 'no-final-newline');
    const [mine, theirs, later] = [newKey(), newKey(), newKey()];
    await verifyHostKey({ file, id: 'r1', trustNew: true }, mine);
    appendFileSync(file, `r2 ssh-ed25519 ${theirs.toString('base64')}`);
    expect(await verifyHostKey({ file, id: 'r3', trustNew: true }, later)).toBe('pinned');
    expect(readFileSync(file, 'utf8')).toBe(
      [mine, theirs, later].map((key, i) => `r${i + 1} ssh-ed25519 ${key.toString('base64')}\n`).join(''),
    );
    expect(await verifyHostKey({ file, id: 'r2', trustNew: false }, theirs)).toBe('known');
  });

  it('forgets a key whose line an engineer deleted during the run', async () => {
    const file = path.join(dir, 'edited');
    const [old, replaced] = [newKey(), newKey()];
    await verifyHostKey({ file, id: 'r1', trustNew: true }, old);
    writeFileSync(file, '');
    const unknown = await verifyHostKey({ file, id: 'r1', trustNew: false }, replaced).catch(
      (e: unknown) => e,
    );
    expect(isNetopsError(unknown, 'HOSTKEY_UNKNOWN')).toBe(true);
    expect(await verifyHostKey({ file, id: 'r1', trustNew: true }, replaced)).toBe('pinned');
    expect(lines(file)).toEqual([`r1 ssh-ed25519 ${replaced.toString('base64')}`]);
  });

  it('reads the file once for 200 new keys pinned one after another, and again only after another writer', async () => {
    const file = path.join(dir, 'growing');
    writeFileSync(file, `[10.0.0.1]:22 ssh-ed25519 ${newKey().toString('base64')}\n`);
    for (let i = 0; i < 200; i++) {
      expect(await verifyHostKey({ file, id: `[127.0.0.1]:${20000 + i}`, trustNew: true }, newKey())).toBe(
        'pinned',
      );
    }
    expect(reads.filter((name) => name === 'growing')).toHaveLength(1);
    expect(lines(file)).toHaveLength(201);

    const engineers = newKey();
    appendFileSync(file, `r9 ssh-ed25519 ${engineers.toString('base64')}\n`);
    expect(await verifyHostKey({ file, id: 'r9', trustNew: false }, engineers)).toBe('known');
    expect(reads.filter((name) => name === 'growing')).toHaveLength(2);
  });
});
