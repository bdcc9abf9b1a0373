/** The store's reading of `git status --porcelain=v2 --branch -z`, on git's own output. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStatus } from '../../src/store/status-parse.js';

let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function git(...args: string[]): string {
  return execFileSync('git', ['-C', dir ?? '', '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    encoding: 'utf8',
  });
}

const status = () =>
  git('status', '--porcelain=v2', '--branch', '-z', '--no-renames', '--untracked-files=all');

describe('parseStatus', () => {
  it("reads HEAD's commit and every path listed: changed, staged, deleted, untracked, with spaces", () => {
    dir = mkdtempSync(path.join(tmpdir(), 'netops-status-'));
    git('init', '--quiet');
    expect(parseStatus(status())).toEqual({ head: undefined, paths: [] });
    mkdirSync(path.join(dir, 'configs'));
    for (const name of ['a.cfg', 'b.cfg', 'c.cfg'])
      writeFileSync(path.join(dir, 'configs', name), `${name}\n`);
    git('add', '.');
    git('commit', '--quiet', '-m', 'first');
    writeFileSync(path.join(dir, 'configs/a.cfg'), 'edited\n');
    writeFileSync(path.join(dir, 'configs/b.cfg'), 'staged\n');
    git('add', 'configs/b.cfg');
    rmSync(path.join(dir, 'configs/c.cfg'));
    writeFileSync(path.join(dir, 'configs/new host.cfg'), 'new\n');
    const { head, paths } = parseStatus(status());
    expect(head).toBe(git('rev-parse', 'HEAD').trim());
    expect(paths.sort()).toEqual(['configs/a.cfg', 'configs/b.cfg', 'configs/c.cfg', 'configs/new host.cfg']);
  });

  it('reads an unmerged path', () => {
    const line = `u UU N... 100644 100644 100644 100644 ${'1'.repeat(40)} ${'2'.repeat(40)} ${'3'.repeat(40)} configs/r 1.cfg`;
    expect(parseStatus(`# branch.oid ${'a'.repeat(64)}\0# branch.head main\0${line}\0`)).toEqual({
      head: 'a'.repeat(64),
      paths: ['configs/r 1.cfg'],
    });
  });
});
