/**
 * The store's test of whether `git gc --auto` has work, against what git itself does in the same
 * repository: loose objects in git's sample folder (`objects/17`) past the threshold, or too many
 * packs without a `.keep`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GC_PACK_LIMIT, MAINTENANCE_SETTINGS, gcMayHaveWork } from '../../src/store/maintenance.js';
import { useTempDir } from '../helpers/fixture.js';

const root = useTempDir('netops-maintenance-');

function repository(name: string): { dir: string; git: (...args: string[]) => string; objects: string } {
  const dir = path.join(root, name);
  execFileSync('git', ['init', '--quiet', dir]);
  // Fixed dates: the commits' ids, and so the folders their objects land in, are the same every run.
  const env = {
    ...process.env,
    GIT_AUTHOR_DATE: '2026-11-30T02:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-30T02:00:00Z',
  };
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env });
  return { dir, git, objects: path.join(dir, '.git', 'objects') };
}

/** Commits a file whose blob id starts with `prefix` (found by trying texts): loose, reachable objects. */
function commitBlob(git: (...args: string[]) => string, dir: string, prefix: string, seed: string): void {
  for (let i = 0; ; i++) {
    const text = `${seed} ${i}\n`;
    const id = createHash('sha1')
      .update(`blob ${Buffer.byteLength(text)}\0${text}`)
      .digest('hex');
    if (!id.startsWith(prefix)) continue;
    writeFileSync(path.join(dir, `${seed.replace(/\W/g, '-')}.txt`), text);
    git('add', '--all');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '--quiet', '-m', seed);
    return;
  }
}

/** `git gc --auto` with the store's settings; whether it packed anything (the pack folder changed). */
function gitGcAuto(git: (...args: string[]) => string, objects: string): boolean {
  const before = readdirSync(path.join(objects, 'pack')).sort().join();
  git(...MAINTENANCE_SETTINGS.flatMap((setting) => ['-c', setting]), 'gc', '--auto', '--quiet');
  return readdirSync(path.join(objects, 'pack')).sort().join() !== before;
}

describe('whether git gc --auto has work', () => {
  it('says no while objects/17 holds one loose object, yes past it, as git decides', async () => {
    const { dir, git, objects } = repository('loose');
    expect(await gcMayHaveWork(objects)).toBe(false);
    commitBlob(git, dir, '17', 'first');
    expect(await gcMayHaveWork(objects)).toBe(false);
    expect(gitGcAuto(git, objects)).toBe(false);
    commitBlob(git, dir, '17', 'second');
    expect(await gcMayHaveWork(objects)).toBe(true);
    expect(gitGcAuto(git, objects)).toBe(true);
    expect(await gcMayHaveWork(objects)).toBe(false);
  });

  it(`says yes past ${GC_PACK_LIMIT} packs without a .keep, as git decides`, async () => {
    const { dir, git, objects } = repository('packs');
    for (let i = 0; i <= GC_PACK_LIMIT; i++) {
      commitBlob(git, dir, '', `pack ${i}`);
      git('repack', '-q', '-d');
    }
    const packs = readdirSync(path.join(objects, 'pack')).filter((name) => name.endsWith('.pack'));
    expect(packs).toHaveLength(GC_PACK_LIMIT + 1);
    // One kept pack is not counted: git would not fold them.
    const kept = path.join(objects, 'pack', (packs[0] as string).replace(/\.pack$/, '.keep'));
    writeFileSync(kept, '');
    expect(await gcMayHaveWork(objects)).toBe(false);
    expect(gitGcAuto(git, objects)).toBe(false);
    execFileSync('rm', [kept]);
    expect(await gcMayHaveWork(objects)).toBe(true);
    expect(gitGcAuto(git, objects)).toBe(true);
  });

  it('says yes when the object folder cannot be read: git decides', async () => {
    expect(await gcMayHaveWork(path.join(root, 'no-such-repository', 'objects'))).toBe(true);
  });
});
