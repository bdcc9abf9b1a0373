import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fileSystemError, toNetopsError } from '../../src/core/errors.js';

describe('toNetopsError', () => {
  it('a file the file system refuses is FILE_SYSTEM naming it and what to do, not a bug of netops', async () => {
    // A folder opened for writing: EISDIR is no refusal of the machine's, so it stays INTERNAL.
    const isDir = await open('/', 'w').catch((error: unknown) => error);
    expect(toNetopsError(isDir)).toMatchObject({ code: 'INTERNAL' });

    const full = Object.assign(new Error("ENOSPC: no space left on device, open '/srv/state/x.json'"), {
      code: 'ENOSPC',
      path: '/srv/state/x.json',
    });
    expect(toNetopsError(full)).toMatchObject({
      code: 'FILE_SYSTEM',
      message: "cannot use /srv/state/x.json: ENOSPC: no space left on device, open '/srv/state/x.json'",
      hint: 'The file system holding /srv/state/x.json is full: free space on it (`df -h`), then run again.',
    });
  });

  it('a write’s error carries no path: the caller names the file, and without one it stays INTERNAL', () => {
    const readOnly = Object.assign(new Error('EROFS: read-only file system, write'), { code: 'EROFS' });
    expect(toNetopsError(readOnly)).toMatchObject({ code: 'INTERNAL' });
    expect(fileSystemError(readOnly, '/srv/state/locks/a.lock')).toMatchObject({
      code: 'FILE_SYSTEM',
      hint: expect.stringContaining('/srv/state/locks/a.lock is on a read-only file system') as unknown,
    });
    expect(fileSystemError(new Error('boom'), '/srv/x')).toBeUndefined();
  });
});
