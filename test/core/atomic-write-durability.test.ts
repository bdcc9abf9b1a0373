/**
 * What a crash or a full disk leaves of an atomic write, seen through the file system calls it makes
 * (node:fs wrapped to log them, every call still done): the temp file holds every byte and is synced
 * before it is renamed into place, so a power loss never finds the target renamed without its data;
 * a write that fails leaves the old file as it was and no temp file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type * as NodeFs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src/core/atomic-write.js';
import { useTempDir } from '../helpers/fixture.js';

const calls: string[] = [];
/** Fails the next write into a temp file with ENOSPC, as a full disk would. */
let failNextWrite = false;

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const fds = new Map<number, string>();
  const name = (fd: number) => fds.get(fd) ?? `fd ${fd}`;
  return {
    ...fs,
    open: (file: string, flags: string, mode: number, done: (e: unknown, fd?: number) => void) =>
      fs.open(file, flags, mode, (error, fd) => {
        if (!error) fds.set(fd, path.basename(file));
        calls.push(`open ${path.basename(file)} ${flags} ${mode.toString(8)}`);
        done(error, fd);
      }),
    writeSync: (fd: number, bytes: Buffer, offset: number, length: number, position: number) => {
      if (failNextWrite) {
        failNextWrite = false;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      // A regular file may take fewer bytes a call: at most 4 here, so every byte needs a loop.
      const written = fs.writeSync(fd, bytes, offset, Math.min(length, 4), position);
      calls.push(`write ${name(fd)} ${written}`);
      return written;
    },
    fsync: (fd: number, done: (e: unknown) => void) =>
      fs.fsync(fd, (error) => {
        calls.push(`fsync ${name(fd)}`);
        done(error);
      }),
    closeSync: (fd: number) => {
      calls.push(`close ${name(fd)}`);
      fs.closeSync(fd);
    },
    rename: (from: string, to: string, done: (e: unknown) => void) =>
      fs.rename(from, to, (error) => {
        calls.push(`rename ${path.basename(from)} ${path.basename(to)}`);
        done(error);
      }),
  };
});

const dir = useTempDir('netops-atomic-durability-');

beforeEach(() => {
  calls.length = 0;
  failNextWrite = false;
});

describe('writeFileAtomic, call by call', () => {
  it('writes every byte into the temp file and syncs it before renaming it into place', async () => {
    const file = path.join(dir, 'r1.cfg');
    await writeFileAtomic(file, 'hostname r1\nend\n', { mode: 0o600, syncFolder: false });
    const temp = /^open (\S+) wx 600$/.exec(calls[0] ?? '')?.[1] as string;
    expect(temp).toMatch(/^\.r1\.cfg\..+\.tmp$/);
    expect(calls).toEqual([
      `open ${temp} wx 600`,
      ...Array.from({ length: 4 }, () => `write ${temp} 4`),
      `fsync ${temp}`,
      `close ${temp}`,
      `rename ${temp} r1.cfg`,
    ]);
    expect(await readFile(file, 'utf8')).toBe('hostname r1\nend\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file as it was and no temp file when the disk is full', async () => {
    const file = path.join(dir, 'r2.cfg');
    await writeFileAtomic(file, 'hostname r2\nend\n');
    failNextWrite = true;
    await expect(writeFileAtomic(file, 'hostname r2\n!\nend\n')).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(file, 'utf8')).toBe('hostname r2\nend\n');
    expect((await readdir(dir)).filter((entry) => entry.includes('r2'))).toEqual(['r2.cfg']);
    expect(calls.filter((call) => call.startsWith('rename')).length).toBe(1);
  });
});
