/**
 * Keyed-hash placeholders: one key per store, kept in the state folder (never in the store), 0600,
 * made once; the same secret gives the same placeholder, a changed secret another, and every
 * placeholder is one the store's checks recognise (a masked config is never installed).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { findSecretPlaceholders } from '../../src/store/placeholders.js';
import {
  keyedPlaceholder,
  placeholderKey,
  placeholderSwitch,
  REMEMBERED_SECRETS,
} from '../../src/store/placeholder-key.js';
import { prepareConfig } from '../../src/store/prepare.js';
import { storeStateDir } from '../../src/store/store-state.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';

const state = useStateDir();
const stores = useTempDir('netops-placeholder-stores-');

/** V8's collector, to weigh what stays reachable (flags set at run time: vitest starts without --expose-gc). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const config = (community: string) =>
  `hostname r1\n!\nsnmp-server community ${community} RO\nsnmp-server community Rw-Unchanged RW\nenable secret 9 $9$abcdefgh\nend\n`;

describe('the store key', () => {
  it('is made on first use, 0600 in a 0700 folder of the state dir, and read back the same', async () => {
    const store = path.join(stores, 'a');
    await mkdir(store);
    const first = await placeholderKey(store);
    expect(first).toHaveLength(32);
    const dir = await storeStateDir(store);
    expect(dir.startsWith(path.join(state, 'stores'))).toBe(true);
    expect((await stat(path.join(dir, 'placeholder.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await placeholderKey(store)).toEqual(first);
    expect(await readdir(store)).toEqual([]); // nothing lands in the store
    expect(JSON.parse(await readFile(path.join(dir, 'store.json'), 'utf8'))).toEqual({ store });
  });

  it('differs between stores, and concurrent first uses agree on one key', async () => {
    const store = path.join(stores, 'b');
    await mkdir(store);
    const keys = await Promise.all(Array.from({ length: 8 }, () => placeholderKey(store)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(keys[0]).not.toEqual(await placeholderKey(path.join(stores, 'a')));
    expect((await readdir(await storeStateDir(store))).sort()).toEqual(['placeholder.key', 'store.json']);
  });

  it('is refused when others can read it, or when it is not a key', async () => {
    const store = path.join(stores, 'c');
    await mkdir(store);
    await placeholderKey(store);
    const file = path.join(await storeStateDir(store), 'placeholder.key');
    await chmod(file, 0o644);
    await expect(placeholderKey(store)).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('can be read by others (mode 644)'),
      hint: `Run chmod 600 ${file}; anyone holding the key can test guesses against the placeholders.`,
    });
    await writeFile(file, 'not a key\n', { mode: 0o600 });
    await chmod(file, 0o600);
    await expect(placeholderKey(store)).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: `the placeholder key ${file} is not 64 hex digits`,
    });
  });
});

describe('keyed placeholders', () => {
  const key = Buffer.alloc(32, 7);
  const placeholder = keyedPlaceholder(key);
  const stored = (community: string, p = placeholder) => {
    const result = prepareConfig(config(community), iosRules, { placeholder: p });
    if (!result.ok) throw new Error(result.reason);
    return result.content;
  };

  it('give the same placeholder for the same secret and another for a changed one', () => {
    const before = stored('R0-Old-Community').split('\n');
    const after = stored('R0-New-Community').split('\n');
    const changed = before.filter((line, i) => line !== after[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^snmp-server community <secret:[0-9a-f]{6}> RO$/);
    expect(after.find((line) => line.includes(' RO'))).toMatch(
      /^snmp-server community <secret:[0-9a-f]{6}> RO$/,
    );
    expect(stored('R0-Old-Community')).toBe(before.join('\n'));
    for (const secret of ['R0-Old-Community', 'R0-New-Community', 'Rw-Unchanged', '$9$abcdefgh'])
      expect(before.join('\n') + after.join('\n')).not.toContain(secret);
  });

  it('are the first 24 bits of HMAC-SHA256 of the value under the store key', () => {
    for (const [secret, k] of [
      ['R0-Old-Community', key],
      ['', key],
      ['x'.repeat(300), randomBytes(32)],
      ['é ü', randomBytes(80)],
    ] as const) {
      const hmac = createHmac('sha256', k).update(secret).digest('hex').slice(0, 6);
      expect(keyedPlaceholder(k)(secret)).toBe(`<secret:${hmac}>`);
    }
  });

  it('stay the HMAC of each value when a run has seen more distinct secrets than it remembers', () => {
    const run = keyedPlaceholder(key);
    const hmac = (secret: string) =>
      `<secret:${createHmac('sha256', key).update(secret).digest('hex').slice(0, 6)}>`;
    const first = run('first-secret');
    for (let i = 0; i <= REMEMBERED_SECRETS; i++) run(`secret-${i}`);
    expect([first, run('first-secret'), run('secret-7'), run('secret-7')]).toEqual([
      hmac('first-secret'),
      hmac('first-secret'),
      hmac('secret-7'),
      hmac('secret-7'),
    ]);
  });

  it('keep only the secrets, not the device outputs they were cut from (a 10,000-host run was at 965 MB by host 8,767)', () => {
    const gc = collector();
    const run = keyedPlaceholder(key);
    const heapAfterGc = () => (gc(), v8.getHeapStatistics().used_heap_size);
    const before = heapAfterGc();
    // 400 hosts, each output 100 KB holding a secret of its own (a slice of that output).
    for (let host = 0; host < 400; host++) {
      const output = `${'x'.repeat(100_000)} snmp-server community host-${host}-own-secret RO\n`;
      run(/community (\S+)/.exec(output)![1]!);
    }
    expect(heapAfterGc() - before).toBeLessThan(4_000_000);
    expect(run('host-7-own-secret')).toBe(
      `<secret:${createHmac('sha256', key).update('host-7-own-secret').digest('hex').slice(0, 6)}>`,
    );
  });

  it('depend on the key: another store shows other placeholders for the same secrets', () => {
    const other = keyedPlaceholder(Buffer.alloc(32, 8));
    expect(stored('R0-Old-Community', other)).not.toBe(stored('R0-Old-Community'));
  });

  it('are found by the placeholder check that startup-config and restore use', () => {
    expect(findSecretPlaceholders(stored('R0-Old-Community')).map((found) => found.line)).toEqual([3, 4, 5]);
  });

  it('switching forms is named for the commit message, both ways, and only then', () => {
    const keyed = stored('R0-Old-Community');
    const removed = stored('R0-Old-Community', () => '<removed>');
    expect(placeholderSwitch(removed, keyed)).toMatch(
      /^secret placeholders are now keyed hashes .*every masked line changes once/,
    );
    expect(placeholderSwitch(keyed, removed)).toMatch(/^secret placeholders are now <removed>/);
    expect(placeholderSwitch(keyed, stored('R0-New-Community'))).toBeUndefined();
    expect(placeholderSwitch(undefined, keyed)).toBeUndefined();
  });
});
