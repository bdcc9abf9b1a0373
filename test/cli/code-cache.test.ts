/**
 * The CLI's bundle and its V8 code cache (src/cli/code-cache.cts): a command works with no cache and
 * writes one, private to the user, that the next command uses; a corrupt or foreign cache is not
 * used, the command's output is the same and the cache is written anew; a cache folder that cannot
 * be written, or that others could write, costs the command nothing but the cache, and says nothing.
 * `NETOPS_CODE_CACHE_DEBUG=1` makes the bin say what it did with the cache on stderr.
 */
import { spawnSync } from 'node:child_process';
import {
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netopsBin, runNetops, type CliResult } from '../helpers/netops-cli.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-code-cache-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const dist = path.dirname(path.dirname(netopsBin));
let folders = 0;

/** A cache home of its own for each test: the cache goes in its netops/ folder. */
async function cacheHome(): Promise<string> {
  const home = path.join(dir, `cache-${++folders}`);
  await mkdir(home, { mode: 0o700 });
  return home;
}

/** `netops tasks` (every task's definition: a good part of the bundle) with this cache home. */
function tasks(home: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runNetops(['tasks'], { env: { XDG_CACHE_HOME: home, NETOPS_CODE_CACHE_DEBUG: '1', ...env } });
}

const outcome = (result: CliResult): string =>
  /netops code cache: (\w+)/.exec(result.stderr)?.[1] ?? 'no line';

async function cacheFiles(home: string): Promise<string[]> {
  return (await readdir(path.join(home, 'netops'))).filter((name) => name.endsWith('.v8cache'));
}

let expected: string;
beforeAll(async () => {
  // The modules loaded one by one (main.js): what the command prints without the bundle.
  const plain = await runNetops(['tasks'], { env: { NETOPS_NO_BUNDLE: '1' } });
  expect(plain.code).toBe(0);
  expected = plain.stdout;
  expect(expected).toContain('backup:');
});

describe('the bundle and its code cache', () => {
  it('compiles from source with no cache, writes a private cache, and the next command uses it', async () => {
    const home = await cacheHome();
    const first = await tasks(home);
    expect([first.code, outcome(first), first.stdout]).toEqual([0, 'none', expected]);
    const [name] = await cacheFiles(home);
    expect(name).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}\.tasks\.v8cache$/);
    expect((await stat(path.join(home, 'netops'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(home, 'netops', name!))).mode & 0o777).toBe(0o600);
    // No temp file left behind.
    expect(await readdir(path.join(home, 'netops'))).toEqual([name]);

    const second = await tasks(home);
    // V8 accepted it (cachedDataRejected false).
    expect([second.code, outcome(second), second.stdout]).toEqual([0, 'used', expected]);
    // Another command keeps a cache of its own; the first is still there.
    const other = await runNetops(['tasks', '--json'], {
      env: { XDG_CACHE_HOME: home, NETOPS_CODE_CACHE_DEBUG: '1' },
    });
    expect(other.code).toBe(0);
    expect((await cacheFiles(home)).length).toBe(1); // same command name: `tasks`
  });

  it('each command keeps a cache of its own, and a plan one apart from the run', async () => {
    const home = await cacheHome();
    const env = { XDG_CACHE_HOME: home };
    // A job that is not there: invalid input (exit 2), the cache is written all the same.
    for (const args of [['run', 'no-such-job.yaml', '--plan'], ['run', 'no-such-job.yaml'], ['tasks']]) {
      expect((await runNetops(args, { env })).code).toBe(args[0] === 'tasks' ? 0 : 2);
    }
    const names = (await cacheFiles(home)).map((name) => name.split('.')[1]).sort();
    expect(names).toEqual(['run', 'run+plan', 'tasks']);
  });

  it('a corrupt cache is not handed to V8: the same output, and the cache is written anew', async () => {
    const home = await cacheHome();
    await tasks(home);
    const [name] = await cacheFiles(home);
    const file = path.join(home, 'netops', name!);
    const good = await readFile(file);
    // A byte changed in the middle of V8's data, its header intact.
    const damaged = Buffer.from(good);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    await writeFile(file, damaged, { mode: 0o600 });
    const corrupt = await tasks(home);
    expect([corrupt.code, outcome(corrupt), corrupt.stdout, corrupt.stderr]).toEqual([
      0,
      'corrupt',
      expected,
      'netops code cache: corrupt\n',
    ]);
    expect(outcome(await tasks(home))).toBe('used');
    // Cut short, or empty.
    for (const bytes of [good.subarray(0, 1000), Buffer.alloc(0)]) {
      await writeFile(file, bytes, { mode: 0o600 });
      const cut = await tasks(home);
      expect([cut.code, outcome(cut), cut.stdout]).toEqual([0, 'corrupt', expected]);
      expect(outcome(await tasks(home))).toBe('used');
    }
  });

  it('a foreign cache (V8 data of another script) is rejected by V8: the same output, rewritten', async () => {
    const home = await cacheHome();
    await tasks(home);
    const [name] = await cacheFiles(home);
    const file = path.join(home, 'netops', name!);
    const script = new vm.Script('(function () { return 42; })');
    const foreign = script.createCachedData();
    const digest = createHash('sha256').update(foreign).digest();
    await writeFile(file, Buffer.concat([digest, foreign]), { mode: 0o600 });
    const rejected = await tasks(home);
    expect([rejected.code, outcome(rejected), rejected.stdout]).toEqual([0, 'rejected', expected]);
    expect(outcome(await tasks(home))).toBe('used');
  });

  it('a cache folder that cannot be written: the command works and says nothing', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, '');
    for (const home of ['/dev/null/cache', file]) {
      const quiet = await runNetops(['tasks'], { env: { XDG_CACHE_HOME: home } });
      expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, expected, '']);
    }
    // A read-only home (not for root, who writes anyway).
    if (process.getuid?.() !== 0) {
      const home = await cacheHome();
      await chmod(home, 0o500);
      const quiet = await runNetops(['tasks'], { env: { XDG_CACHE_HOME: home } });
      expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, expected, '']);
      await chmod(home, 0o700);
    }
  });

  it('a cache in a folder others can write is never read, and none is written there', async () => {
    const home = await cacheHome();
    await tasks(home);
    const [name] = await cacheFiles(home);
    await chmod(path.join(home, 'netops'), 0o777);
    const open = await tasks(home);
    expect([open.code, outcome(open), open.stdout]).toEqual([0, 'none', expected]);
    // Nor a cache file others can write, in a private folder.
    await chmod(path.join(home, 'netops'), 0o700);
    await chmod(path.join(home, 'netops', name!), 0o666);
    const writable = await tasks(home);
    expect([writable.code, outcome(writable), writable.stdout]).toEqual([0, 'none', expected]);
    // Nor a folder under a parent others can write (and not sticky).
    await chmod(path.join(home, 'netops', name!), 0o600);
    expect(outcome(await tasks(home))).toBe('used');
    await chmod(home, 0o777);
    const parent = await tasks(home);
    expect([parent.code, outcome(parent), parent.stdout]).toEqual([0, 'none', expected]);
    await chmod(home, 0o700);
    // Nor another user's folder.
    if (process.getuid?.() === 0) {
      await chown(path.join(home, 'netops'), 65534, 65534);
      const theirs = await tasks(home);
      expect([theirs.code, outcome(theirs), theirs.stdout]).toEqual([0, 'none', expected]);
    }
  });

  it('with no bundle, or one older than the modules tsc wrote after it, main.js runs', async () => {
    // A copy of the build, its packages beside it as in the work tree.
    const copy = path.join(dir, 'copy');
    await cp(dist, path.join(copy, 'dist'), { recursive: true, preserveTimestamps: true });
    await cp(path.join(dist, '../package.json'), path.join(copy, 'package.json'));
    await symlink(path.join(dist, '../node_modules'), path.join(copy, 'node_modules'));
    const bin = path.join(copy, 'dist/cli/bin.cjs');
    const env = {
      ...process.env,
      NO_COLOR: '1',
      XDG_CACHE_HOME: await cacheHome(),
      NETOPS_CODE_CACHE_DEBUG: '1',
    };
    const run = () => spawnSync(process.execPath, [bin, 'tasks'], { env, encoding: 'utf8' });
    const bundled = run();
    expect([bundled.status, bundled.stdout, bundled.stderr]).toEqual([
      0,
      expected,
      'netops code cache: none\n',
    ]);
    // tsc wrote dist/ again, after the bundle was made: main.js, not the bundle.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(copy, 'dist/cli/main.js'), later, later);
    const stale = run();
    expect([stale.status, stale.stdout, stale.stderr]).toEqual([0, expected, '']);
    await rm(path.join(copy, 'dist/cli/bundle.cjs'));
    const none = run();
    expect([none.status, none.stdout, none.stderr]).toEqual([0, expected, '']);
  });
});
