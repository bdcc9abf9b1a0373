/**
 * Atomic writes: the file is replaced whole, through a temp file of a name no other write of the
 * process uses, and a temp file of that name left by a dead process (same pid, so the same name) is
 * stepped over, never written into nor removed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempName, writeFileAtomic } from '../../src/core/atomic-write.js';
import { useTempDir } from '../helpers/fixture.js';
import { nextTempName } from '../helpers/temp-names.js';

const dir = useTempDir('netops-atomic-write-');

describe('writeFileAtomic', () => {
  it('replaces the file whole, with its mode, and leaves no temp file', async () => {
    const file = path.join(dir, 'a', 'r1.cfg');
    await writeFileAtomic(file, 'hostname r1\nend\n', { mode: 0o600 });
    await writeFileAtomic(file, Buffer.from('hostname r1\n!\nend\n'), { mode: 0o600 });
    expect(await readFile(file, 'utf8')).toBe('hostname r1\n!\nend\n');
    expect(await readdir(path.dirname(file))).toEqual(['r1.cfg']);
  });

  it('steps over a temp file of the name it would take, left by a dead process, and leaves it be', async () => {
    const file = path.join(dir, 'r2.cfg');
    const stale = nextTempName(path.join(dir, '.r2.cfg'));
    await writeFile(stale, 'half of a config a killed run was writing');
    await writeFileAtomic(file, 'hostname r2\nend\n');
    expect(await readFile(file, 'utf8')).toBe('hostname r2\nend\n');
    expect(await readFile(stale, 'utf8')).toBe('half of a config a killed run was writing');
    expect((await readdir(dir)).filter((name) => name.includes('r2'))).toEqual(
      [path.basename(stale), 'r2.cfg'].sort(),
    );
  });

  it('names its temp files apart for each write, with the process and the thread in the name', () => {
    const names = Array.from({ length: 3 }, () => tempName('x'));
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(new RegExp(`^x\\.${process.pid}-\\d+-[0-9a-z]+\\.tmp$`));
  });
});
