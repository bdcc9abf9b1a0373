/**
 * The explanation of a host's last backup is kept beside the store in the state folder, private;
 * reading one leaves no trace, and a name that is not a host name is refused, not made into a path.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobId } from '../../src/store/git.js';
import {
  contentDigest,
  explainsText,
  readExplanation,
  writeExplanation,
  type Explanation,
} from '../../src/store/explanation.js';
import { storeStatePath } from '../../src/store/store-state.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';
import { nextTempName } from '../helpers/temp-names.js';

const state = useStateDir();
const stores = useTempDir('netops-explain-stores-');

const explanation: Explanation = {
  host: 'r1',
  platform: 'ios',
  at: '2026-11-29T02:00:00.000Z',
  file: 'configs/r1.cfg',
  sha256: contentDigest('hostname r1\nend\n'),
  received: 4,
  changes: [
    {
      received: 2,
      action: 'dropped',
      rule: { kind: 'ignore', name: 'store.noise.ignore[0]', pattern: '^! x' },
      text: '! x',
    },
  ],
};

describe('explanations', () => {
  it('are written 0600 in the store state folder and read back', async () => {
    const store = path.join(stores, 'a');
    await mkdir(store);
    await writeExplanation(store, explanation);
    const { dir } = await storeStatePath(store);
    expect((await stat(path.join(dir, 'explain', 'r1.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'explain'))).mode & 0o777).toBe(0o700);
    expect(await readExplanation(store, 'r1')).toEqual(explanation);
    expect(await readdir(store)).toEqual([]);
  });

  it('reading one of a store never backed up says so and makes no folder', async () => {
    const store = path.join(stores, 'never');
    const before = await readdir(path.join(state, 'stores')).catch(() => []);
    await expect(readExplanation(store, 'r1')).rejects.toMatchObject({ code: 'CONFIG_UNREADABLE' });
    expect(await readdir(path.join(state, 'stores')).catch(() => [])).toEqual(before);
  });

  it('refuses a name that is not a host name', async () => {
    await expect(readExplanation(path.join(stores, 'a'), '../../r1')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: '"../../r1" is not a host name',
    });
  });

  it('know the stored text they explain: by its blob id when they have a source, else by SHA-256', () => {
    const stored = Buffer.from('hostname r1\nend\n');
    const edited = Buffer.from('hostname r1\n!\nend\n');
    expect(explainsText(explanation, stored)).toBe(true);
    expect(explainsText(explanation, edited)).toBe(false);
    for (const format of ['sha1', 'sha256'] as const) {
      const source = { shape: 's', mac: 'm', blob: blobId(stored, format), masked: 0, dropped: 0 };
      const { sha256: _dropped, ...rest } = explanation;
      const named: Explanation = { ...rest, format: 2, source };
      expect(explainsText(named, stored)).toBe(true);
      expect(explainsText(named, edited)).toBe(false);
      // The blob id alone decides: a stale SHA-256 beside it is not read.
      expect(explainsText({ ...named, sha256: contentDigest('other') }, stored)).toBe(true);
    }
  });

  it('step over a temp file of the name they would take, left by a dead process', async () => {
    const store = path.join(stores, 'stale');
    await mkdir(store);
    await writeExplanation(store, explanation);
    const file = path.join((await storeStatePath(store)).dir, 'explain', 'r1.json');
    const stale = nextTempName(file);
    await writeFile(stale, '{"format":2,"host":"r1","sou');
    await writeExplanation(store, { ...explanation, received: 5 });
    expect(await readExplanation(store, 'r1')).toEqual({ ...explanation, received: 5 });
    expect(await readFile(stale, 'utf8')).toBe('{"format":2,"host":"r1","sou');
  });
});
