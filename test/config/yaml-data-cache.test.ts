/**
 * A large inventory's data kept between runs (yaml-data-cache.ts): the same hosts as reading the
 * YAML, taken from the cache only for the very text it was kept for; an edited file, a small file,
 * an entry cut or of another text, data JSON cannot carry: each is read from the YAML.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryVocabulary } from '../../src/cli/load.js';
import { ConfigInvalidError } from '../../src/config/diagnostics.js';
import { loadInventory } from '../../src/config/inventory.js';
import { MIN_BYTES, yamlDataCache } from '../../src/config/yaml-data-cache.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-yaml-cache-');
const vocabulary = await inventoryVocabulary();

/** An inventory of `count` hosts, each over several lines as `lab up` writes them (about 360 bytes each). */
function inventoryText(count: number, address = (i: number) => `198.18.${i >> 8}.${i & 255}`): string {
  const hosts = Array.from(
    { length: count },
    (_, i) =>
      `  r${i}:\n    address: ${address(i)}\n    port: ${20000 + i}\n    groups:\n      - ios\n` +
      `    console:\n      host: 127.0.0.1\n      port: ${30000 + i}\n    snmp:\n      version: 2c\n` +
      `      community:\n        env: RO\n      port: ${40000 + i}\n    data:\n      lab:\n        device: r${i}\n`,
  );
  return `groups:\n  ios:\n    platform: ios\nhosts:\n${hosts.join('')}`;
}

async function setUp(name: string, text: string) {
  const file = path.join(dir, `${name}.yaml`);
  const cacheDir = path.join(dir, `${name}-cache`);
  await writeFile(file, text);
  const load = () => loadInventory([file], vocabulary, yamlDataCache(cacheDir));
  const entries = async () => readdir(cacheDir).catch(() => [] as string[]);
  const entryFile = async () => path.join(cacheDir, (await entries())[0]!);
  return { file, cacheDir, load, entries, entryFile };
}

const addressOf = async (load: () => ReturnType<typeof loadInventory>, host: string) =>
  (await load()).hosts.get(host)?.address;

describe('inventory data kept between runs', () => {
  it('gives the hosts reading the YAML gives, from an entry of mode 0600 written by the first load', async () => {
    const text = inventoryText(400);
    expect(text.length).toBeGreaterThan(MIN_BYTES);
    const { file, load, entries, entryFile } = await setUp('same', text);
    const fromYaml = await loadInventory([file], vocabulary);
    const first = await load();
    expect(await entries()).toHaveLength(1);
    expect((await stat(await entryFile())).mode & 0o777).toBe(0o600);
    const second = await load();
    expect([...second.hosts]).toStrictEqual([...fromYaml.hosts]);
    expect([...first.hosts]).toStrictEqual([...fromYaml.hosts]);
    expect(second.origins('r7')).toStrictEqual(fromYaml.origins('r7'));
  });

  it('answers from the entry only for the text it was kept for', async () => {
    const { file, load, entryFile } = await setUp('edited', inventoryText(400));
    await load();
    // The entry is what answers while the text is the same: an address changed in it shows.
    const entry = JSON.parse(await readFile(await entryFile(), 'utf8'));
    entry.data.hosts.r3.address = '198.18.99.99';
    await writeFile(await entryFile(), JSON.stringify(entry));
    expect(await addressOf(load, 'r3')).toBe('198.18.99.99');
    // The file edited: read from the YAML, and the entry replaced by the new text's.
    await writeFile(
      file,
      inventoryText(400, (i) => `198.18.7.${i & 255}`),
    );
    expect(await addressOf(load, 'r3')).toBe('198.18.7.3');
    const replaced = JSON.parse(await readFile(await entryFile(), 'utf8'));
    expect(replaced.key).not.toBe(entry.key);
    expect(replaced.data.hosts.r3.address).toBe('198.18.7.3');
  });

  it('reads the YAML again when what reads it changed (netops, its code, js-yaml, Node)', async () => {
    const { file, cacheDir, entryFile } = await setUp('reader', inventoryText(400));
    const load = (reader: string) => loadInventory([file], vocabulary, yamlDataCache(cacheDir, reader));
    await load('reader-a');
    const entry = JSON.parse(await readFile(await entryFile(), 'utf8'));
    entry.data.hosts.r3.address = '198.18.99.99';
    await writeFile(await entryFile(), JSON.stringify(entry));
    expect((await load('reader-a')).hosts.get('r3')?.address).toBe('198.18.99.99');
    expect((await load('reader-b')).hosts.get('r3')?.address).toBe('198.18.0.3');
  });

  it('reads the YAML when the entry is cut, not JSON, or of another text', async () => {
    const { load, entryFile } = await setUp('damaged', inventoryText(400));
    await load();
    const good = await readFile(await entryFile(), 'utf8');
    for (const damaged of [good.slice(0, 1000), 'not json', good.replace(/"key":"[0-9a-f]+"/, '"key":"0"')]) {
      await writeFile(
        await entryFile(),
        damaged.replace('"r3":{"address":"198.18.0.3"', '"r3":{"address":"x"'),
      );
      expect(await addressOf(load, 'r3')).toBe('198.18.0.3');
      expect(await readFile(await entryFile(), 'utf8')).toBe(good);
    }
  });

  it('keeps nothing for a small file, or for data JSON does not carry (.nan, .inf, -0)', async () => {
    const small = await setUp('small', inventoryText(10));
    await small.load();
    expect(await small.entries()).toEqual([]);
    for (const [name, value] of [
      ['nan', '.nan'],
      ['inf', '-.inf'],
      ['minus-zero', '-0.0'],
    ] as const) {
      // Under the last host's `data:`.
      const { load, entries } = await setUp(name, `${inventoryText(400)}      x: { y: ${value} }\n`);
      const inventory = await load();
      expect(inventory.hosts.size).toBe(400);
      expect(await entries()).toEqual([]);
    }
  });

  it('refuses an edited file as without a cache: the error and its line', async () => {
    const { file, load } = await setUp('refused', inventoryText(400));
    await load();
    await writeFile(file, inventoryText(400).replace('    port: 20005\n', '    port: 0\n'));
    const error = await load().catch((e: unknown) => e);
    const without = await loadInventory([file], vocabulary).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as ConfigInvalidError).issues).toStrictEqual((without as ConfigInvalidError).issues);
    expect((error as ConfigInvalidError).issues[0]?.pos?.line).toBe(
      inventoryText(400).split('\n').indexOf('    port: 20005') + 1,
    );
  });
});
