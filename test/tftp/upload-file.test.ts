/**
 * An upload's commit (upload-file.ts) when the folder cannot be opened for its fsync (too many open
 * files under load): refused before the file is placed, so nothing is left under its name.
 */
import type * as Fs from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { UploadFile } from '../../src/tftp/upload-file.js';
import { useTempDir } from '../helpers/fixture.js';

const folderOpen = vi.hoisted(() => ({ fails: false }));
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof Fs>();
  const emfile = () => Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
  return {
    ...fs,
    // Only the folder is opened read-only by the upload: its temporary file is opened 'wx'.
    open: (...args: Parameters<typeof fs.open>) =>
      folderOpen.fails && args[1] === 'r' ? Promise.reject(emfile()) : fs.open(...args),
  };
});

const dir = useTempDir('netops-upload-file-');

it('refuses with TFTP error 3 and places nothing when the folder cannot be opened', async () => {
  const file = await UploadFile.create(join(dir, 'r1-confg'), false);
  file.append(Buffer.from('hostname r1\n'), 0);
  folderOpen.fails = true;
  const error = await file.complete().catch((e: unknown) => e);
  folderOpen.fails = false;
  expect(error).toMatchObject({ code: 3, message: 'cannot store the file (EMFILE)' });
  expect(await readdir(dir)).toEqual([]);
});
