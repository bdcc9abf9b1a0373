/**
 * Stored configs (masked or, with sanitizing off, not) and rejected copies are readable by the
 * store's owner only: files 0600 in 0700 folders.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { GitStore } from '../../src/store/git-store.js';
import { configPath } from '../../src/store/paths.js';
import { useTempDir } from '../helpers/fixture.js';

const root = useTempDir('netops-modes-');

it('writes configs and rejected copies 0600 in 0700 folders, the store folder included', async () => {
  const dir = path.join(root, 'store');
  const store = await GitStore.open({ dir });
  try {
    await store.write(configPath('r1'), 'hostname r1\nend\n');
    const rejected = await store.keepAside(configPath('r2'), 'hostname r2\n', 'TRUNCATED: no end');
    const files = [path.join(dir, configPath('r1')), path.resolve(dir, rejected)];
    for (const file of files) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
      for (let folder = path.dirname(file); folder.startsWith(dir); folder = path.dirname(folder)) {
        expect(statSync(folder).mode & 0o777, folder).toBe(0o700);
      }
    }
  } finally {
    await store.release();
  }
});
