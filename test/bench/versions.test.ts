/**
 * A bench result names the code it measured: with NETOPS_DIST pointing at another checkout's build
 * (an A/B against a worktree), the commit is that checkout's, marked dirty when its sources differ.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { root, versions } from '../../bench/harness/results.mjs';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-versions-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const given = process.env.NETOPS_DIST;
afterEach(() => {
  if (given === undefined) delete process.env.NETOPS_DIST;
  else process.env.NETOPS_DIST = given;
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();

/** A checkout with one commit, `src/a.ts` in it, and a build folder `dist`. */
async function checkout(): Promise<string> {
  const repo = await mkdtemp(path.join(dir, 'checkout-'));
  await mkdir(path.join(repo, 'src'));
  await mkdir(path.join(repo, 'dist'));
  await writeFile(path.join(repo, 'src/a.ts'), 'export const a = 1;\n');
  git(repo, 'init', '-q');
  git(repo, 'add', 'src');
  git(repo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'a');
  return repo;
}

describe('bench results: versions()', () => {
  it('names the repository HEAD for the default build', () => {
    delete process.env.NETOPS_DIST;
    const head = git(root, 'rev-parse', '--short', 'HEAD');
    expect(versions().commit).toMatch(new RegExp(`^${head}(-dirty)?$`));
    expect(versions()).not.toHaveProperty('dist');
  });

  it("names the commit of NETOPS_DIST's checkout, and the build's folder", async () => {
    const repo = await checkout();
    process.env.NETOPS_DIST = path.join(repo, 'dist');
    expect(versions()).toMatchObject({
      commit: git(repo, 'rev-parse', '--short', 'HEAD'),
      dist: path.join(repo, 'dist'),
    });
  });

  it('marks the commit dirty when the checkout has source changes not committed', async () => {
    const repo = await checkout();
    await writeFile(path.join(repo, 'src/a.ts'), 'export const a = 2;\n');
    process.env.NETOPS_DIST = path.join(repo, 'dist');
    expect(versions().commit).toBe(`${git(repo, 'rev-parse', '--short', 'HEAD')}-dirty`);
  });
});
