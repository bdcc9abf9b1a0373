/**
 * The git store against the real `git` program: one commit per run, no commit when nothing
 * changed, exact diffs, rejected copies kept aside, concurrent writes, paths kept inside; many new
 * copies (a first run) reach the repository as one pack and an unchanged run touches no copy.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { GitStore } from '../../src/store/git-store.js';
import { FAMILY_MIN_HOSTS } from '../../src/store/family-packers.js';
import { GC_LOOSE_OBJECTS } from '../../src/store/maintenance.js';
import { StoreHistory } from '../../src/store/store-history.js';
import { configPath, factsPath } from '../../src/store/paths.js';
import type { RunSummary } from '../../src/tasks/task.js';

let dir: string;

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'netops-store-')), 'backups');
});

afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

function git(...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
}

function commitCount(): number {
  return Number(git('rev-list', '--count', 'HEAD').trim());
}

let runs = 0;

/** A run's totals; each call is another run, with its own id (a run id names one run only). */
function run(changed: number, failed: string[] = [], ok = 0): RunSummary {
  runs++;
  return {
    runId: `2026-11-23T02-00-00-${String(runs).padStart(3, '0')}Z-nightly-backup`,
    job: 'nightly-backup',
    startedAt: '2026-11-23T02:00:00.000Z',
    counts: { ok, changed, failed: failed.length, skipped: 0 },
    changedHosts: [],
    failedHosts: failed,
    aborted: false,
  };
}

const config = (serial: string) => `hostname r1\n!\ninterface Gi0/1\n description ${serial}\n!\nend\n`;

describe('GitStore', () => {
  it('makes one commit per run, summarizing it, with the configured author', async () => {
    const store = await GitStore.open({ dir, author: { name: 'Backup Bot', email: 'bot@example.net' } });
    const r1 = await store.write(configPath('r1'), config('FOC1234'), 'r1: first backup');
    const r2 = await store.write(configPath('r2'), config('FOC5678'));
    await store.write(factsPath('r1'), '{"serial":"FOC1234"}\n');
    expect(r1).toMatchObject({ changed: true });
    expect(r2.diff.startsWith('--- /dev/null\n+++ b/configs/r2.cfg\n@@ -0,0 +1,6 @@\n+hostname r1\n')).toBe(
      true,
    );
    await store.close(run(2, ['r7'], 196));

    expect(commitCount()).toBe(1);
    expect(git('log', '-1', '--format=%an <%ae>').trim()).toBe('Backup Bot <bot@example.net>');
    const [entry] = await (await StoreHistory.open(dir)).history();
    expect(entry?.subject).toBe('netops nightly-backup: 2 changed, 1 failed, 196 unchanged');
    expect(entry?.body).toContain('r1: first backup');
    expect(entry?.body).toContain('failed: r7');
    expect(entry?.files.sort()).toEqual(['configs/r1.cfg', 'configs/r2.cfg', 'facts/r1.json']);
    expect(readFileSync(path.join(dir, 'configs/r1.cfg'), 'utf8')).toBe(config('FOC1234'));
  });

  it('changes nothing and makes no commit when a config is unchanged', async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1234'));
    await first.close(run(1));
    const head = git('rev-parse', 'HEAD');

    const second = await GitStore.open({ dir });
    expect(await second.write(configPath('r1'), config('FOC1234'), 'r1: nothing')).toEqual({
      changed: false,
      diff: '',
    });
    await second.close(run(0, [], 1));
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('recognises an unchanged config whose text is not ASCII (its id is the one git gives it)', async () => {
    const text = 'hostname r1\n!\ninterface Gi0/1\n description Zürich – café ✓ 東京\n!\nend\n';
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), text);
    await first.close(run(1));
    const head = git('rev-parse', 'HEAD');

    const second = await GitStore.open({ dir });
    expect(await second.write(configPath('r1'), text)).toEqual({ changed: false, diff: '' });
    expect((await second.write(configPath('r1'), text.replace('Zürich', 'Zurich'))).changed).toBe(true);
    expect(await second.write(configPath('r1'), text)).toEqual({ changed: false, diff: '' });
    await second.close(run(0, [], 1));
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('recognises unchanged configs in a SHA-256 repository too', async () => {
    mkdirSync(dir, { recursive: true });
    git('init', '--quiet', '--object-format=sha256');
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1234'));
    // The commit id a run's commit returns is HEAD's, whole (64 hex digits here).
    expect(await first.commit(run(1))).toBe(git('rev-parse', 'HEAD').trim());
    expect(git('rev-parse', 'HEAD').trim()).toMatch(/^[0-9a-f]{64}$/);
    await first.release();
    const second = await GitStore.open({ dir });
    expect(await second.write(configPath('r1'), config('FOC1234'))).toEqual({ changed: false, diff: '' });
    const changed = await second.write(configPath('r1'), config('FOC9876'));
    expect(changed.changed).toBe(true);
    await second.commit(run(1));
    await second.release();
    expect(changed.blob).toBe(git('rev-parse', `HEAD:${configPath('r1')}`).trim());
  });

  it('returns a diff showing exactly the change, and the next commit holds only it', async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1234'));
    await first.write(configPath('r2'), config('FOC0002'));
    await first.close(run(2));

    const second = await GitStore.open({ dir });
    const result = await second.write(
      configPath('r1'),
      config('FOC9876'),
      'r1: module 2 serial FOC1234 -> FOC9876',
    );
    await second.write(configPath('r2'), config('FOC0002'));
    expect(result.changed).toBe(true);
    const changes = result.diff.split('\n').filter((line) => /^[-+](?![-+]{2} )/.test(line));
    expect(changes).toEqual(['- description FOC1234', '+ description FOC9876']);
    expect(result.diff.startsWith('--- a/configs/r1.cfg\n+++ b/configs/r1.cfg\n@@ ')).toBe(true);
    await second.close(run(1, [], 1));

    expect(commitCount()).toBe(2);
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('configs/r1.cfg');
    const history = await StoreHistory.open(dir);
    const [latest] = await history.history({ path: configPath('r1') });
    expect(latest?.body.split('\n')[0]).toBe('r1: module 2 serial FOC1234 -> FOC9876');
    expect(await history.diffSince(configPath('r1'), new Date(Date.now() + 60_000))).toBe('');
  });

  it('reports what changed since a date from history', async () => {
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1234'));
    expect(await store.commit(run(1))).toBe(git('rev-parse', 'HEAD').trim());
    // Back-date the first commit so "since" falls between the two runs.
    execFileSync(
      'git',
      ['-C', dir, 'commit', '--amend', '--no-edit', '--quiet', '--date=2026-01-01T00:00:00Z'],
      {
        env: { ...process.env, GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
      },
    );
    const again = await GitStore.open({ dir });
    await again.write(configPath('r1'), config('FOC9876'));
    await again.commit(run(1));

    const since = new Date('2026-06-01T00:00:00Z');
    const history = await StoreHistory.open(dir);
    const diff = await history.diffSince(configPath('r1'), since);
    expect(diff).toContain('- description FOC1234\n+ description FOC9876');
    expect(await history.history({ since })).toHaveLength(1);
    expect(await history.history()).toHaveLength(2);
    const fromStart = await history.diffSince(configPath('r1'), new Date('2025-01-01T00:00:00Z'));
    expect(fromStart.startsWith('--- /dev/null\n+++ b/configs/r1.cfg\n')).toBe(true);
  });

  it('lets a reader see each facts file before and after every commit while a run holds the store', async () => {
    const before = await GitStore.open({ dir });
    await before.write(factsPath('r1'), '{"site":"Zürich"}\n');
    await before.write(factsPath('r2'), '{"site":"Genève"}\n');
    await before.write(configPath('r1'), config('FOC1234'));
    await before.close(run(3));
    // A host gone from the network: its facts file removed by hand between two runs.
    await rm(path.join(dir, factsPath('r2')));
    const store = await GitStore.open({ dir });
    await store.write(factsPath('r1'), '{"site":"Zürich Süd"}\n');
    await store.commit(run(2));

    // The writer still holds the store lock: a reader needs none.
    const reader = await StoreHistory.open(dir);
    const [second, first] = await reader.history({ folder: 'facts' });
    expect(first?.files).toEqual(['facts/r1.json', 'facts/r2.json']);
    expect(second?.files).toEqual(['facts/r1.json', 'facts/r2.json']);
    const versions = await reader.fileVersions(
      [first!, second!].flatMap((c) => c.files.map((file) => ({ commit: c.commit, path: file }))),
    );
    expect(versions).toEqual([
      { before: undefined, after: '{"site":"Zürich"}\n' },
      { before: undefined, after: '{"site":"Genève"}\n' },
      { before: '{"site":"Zürich"}\n', after: '{"site":"Zürich Süd"}\n' },
      { before: '{"site":"Genève"}\n', after: undefined },
    ]);
    await store.release();
  });

  it('tells a file whose object the repository lacks from a file its commit does not hold', async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1'));
    await first.close(run(1));
    const second = await GitStore.open({ dir });
    await second.write(configPath('r1'), config('FOC2'));
    await second.write(configPath('r2'), config('FOC2'));
    await second.close(run(2));
    const [latest, oldest] = await (await StoreHistory.open(dir)).history();
    // A damaged store: the object of r1's first copy is gone (loose, as the first commit left it).
    const object = git('rev-parse', `${oldest!.commit}:configs/r1.cfg`).trim();
    rmSync(path.join(dir, '.git', 'objects', object.slice(0, 2), object.slice(2)));

    const reader = await StoreHistory.open(dir);
    // What no commit holds is still no file: r2 before it was first stored.
    expect(await reader.fileVersions([{ commit: latest!.commit, path: configPath('r2') }])).toEqual([
      { before: undefined, after: config('FOC2') },
    ]);
    // A restore of the first run, `netops store grep` at it, the facts report: each read r1's first
    // copy as "not there" (a restore said the host was first backed up later).
    const damaged = {
      code: 'STORE_FAILED',
      message: `the store ${dir} is damaged: commit ${oldest!.commit} holds configs/r1.cfg, but the repository lacks its object ${object}`,
    };
    await expect(reader.readAt(oldest!.commit, [configPath('r1')])).rejects.toMatchObject(damaged);
    await expect(
      reader.fileVersions([{ commit: oldest!.commit, path: configPath('r1') }]),
    ).rejects.toMatchObject(damaged);
  });

  it('refuses to read a missing folder or one that is not a git repository, and creates nothing', async () => {
    const missing = await StoreHistory.open(dir).catch((e: unknown) => e);
    expect(isNetopsError(missing, 'STORE_FAILED') && missing.message).toBe(
      `cannot open the store ${dir} (ENOENT)`,
    );
    expect(readdirSync(path.dirname(dir))).toEqual([]);
    mkdirSync(dir);
    const plain = await StoreHistory.open(dir).catch((e: unknown) => e);
    expect(isNetopsError(plain, 'STORE_FAILED') && plain.message).toMatch(/not a git repository/);
    // Not `git fsck`, as for a damaged repository: there is none to check.
    expect(isNetopsError(plain) && plain.hint).toBe(
      'Point at the store folder: the git repository holding configs/ and facts/.',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a rejected config aside with its reason and leaves the last good copy alone', async () => {
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1234'));
    await store.close(run(1));
    const again = await GitStore.open({ dir });
    const aside = await again.keepAside(configPath('r1'), 'hostname r1\n!\ninterf', 'TRUNCATED: no end');
    await again.close(run(0, ['r1']));

    expect(aside).toBe('rejected/configs/r1.cfg');
    expect(readFileSync(path.join(dir, aside), 'utf8')).toBe('hostname r1\n!\ninterf');
    expect(readFileSync(path.join(dir, `${aside}.reason`), 'utf8')).toMatch(/^\S+Z TRUNCATED: no end\n$/);
    expect(await again.read(configPath('r1'))).toBe(config('FOC1234'));
    expect(commitCount()).toBe(1);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('gives each of many hosts changed at once the diff of its own change only', async () => {
    const hosts = Array.from({ length: 40 }, (_, i) => `sw${i}`);
    const first = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => first.write(configPath(h), config(`SN${h}`))));
    await first.close(run(hosts.length));

    const second = await GitStore.open({ dir });
    const results = await Promise.all(
      hosts.map((h, i) => second.write(configPath(h), i % 2 ? config(`SN${h}-new`) : config(`SN${h}`))),
    );
    await second.close(run(hosts.length / 2));
    results.forEach((result, i) => {
      const h = hosts[i]!;
      if (i % 2 === 0) {
        expect(result, h).toEqual({ changed: false, diff: '' });
        return;
      }
      expect(result.changed, h).toBe(true);
      expect(result.diff, h).toBe(
        `--- a/configs/${h}.cfg\n+++ b/configs/${h}.cfg\n@@ -1,6 +1,6 @@\n hostname r1\n !\n interface Gi0/1\n` +
          `- description SN${h}\n+ description SN${h}-new\n !\n end\n`,
      );
    });
    expect(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toHaveLength(hosts.length / 2);
  });

  it('stores writes from many hosts at once in one commit', async () => {
    const store = await GitStore.open({ dir });
    const hosts = Array.from({ length: 60 }, (_, i) => `sw${i}`);
    const results = await Promise.all(
      hosts.map((h) => store.write(configPath(h), config(`SN${h}`), `${h}: new`)),
    );
    expect(results.every((r) => r.changed)).toBe(true);
    await store.close(run(hosts.length));
    expect(commitCount()).toBe(1);
    expect(git('ls-files', 'configs').trim().split('\n')).toHaveLength(60);
    // Each write names the blob its copy became (what a backup's record keeps), and the folder the
    // sixty first copies went into at once is the owner's only.
    const blobs = hosts.map((h) => git('rev-parse', `HEAD:${configPath(h)}`).trim());
    expect(results.map((r) => r.blob)).toEqual(blobs);
    expect(statSync(path.join(dir, 'configs')).mode & 0o777).toBe(0o700);
    for (const h of hosts) expect(readFileSync(path.join(dir, configPath(h)), 'utf8')).toBe(config(`SN${h}`));
    const leftovers = readdirSync(path.join(dir, 'configs')).filter((name) => !name.endsWith('.cfg'));
    expect(leftovers).toEqual([]);
  });

  it('refuses paths and host names that would leave the store', async () => {
    const store = await GitStore.open({ dir });
    for (const bad of [
      '../escape.cfg',
      'configs/../../x.cfg',
      '/etc/passwd',
      '.git/config',
      'configs/.hidden.cfg',
    ]) {
      await expect(store.write(bad, 'x')).rejects.toSatisfy((e) => isNetopsError(e, 'STORE_FAILED'));
    }
    expect(() => configPath('../r1')).toThrow(/cannot be a file name/);
    expect(() => factsPath('a/b')).toThrow(/cannot be a file name/);
    await expect(store.keepAside('configs/../r1.cfg', 'x', 'why')).rejects.toThrow(
      /not a path the store writes/,
    );
  });

  it('refuses a non-empty folder that is not a repository', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    await expect(GitStore.open({ dir })).rejects.toThrow(/is not empty and is not a git repository/);
  });

  it("never commits the user's other staged work, and commits files an interrupted run left", async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1234'));
    await first.close(run(1));
    writeFileSync(path.join(dir, 'README.md'), 'my notes\n');
    git('add', 'README.md');

    const interrupted = await GitStore.open({ dir });
    await interrupted.write(configPath('r2'), config('FOC0002'));
    // no close: the run died here

    const next = await GitStore.open({ dir });
    await next.write(configPath('r1'), config('FOC1234'));
    await next.close(run(0, [], 1));
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('configs/r2.cfg');
    expect(git('log', '-1', '--format=%b')).toContain('carried over from an interrupted run: configs/r2.cfg');
    expect(git('status', '--porcelain').trim()).toBe('A  README.md');
  });
  it('reads and sizes every copy in the working tree, HEAD holding it or not, and none where there is none', async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC0001'));
    await first.close(run(1));
    const interrupted = await GitStore.open({ dir });
    await interrupted.write(configPath('r2'), config('FOC0002'));
    await interrupted.release(); // the run died before its commit
    mkdirSync(path.join(dir, 'facts'), { recursive: true });
    writeFileSync(path.join(dir, 'facts/r3.json'), '{"by":"hand"}\n');
    writeFileSync(path.join(dir, 'configs/r1.cfg'), config('EDITED'));

    const store = await GitStore.open({ dir });
    expect(await store.read(configPath('r1'))).toBe(config('EDITED'));
    expect(await store.size(configPath('r2'))).toBe(config('FOC0002').length);
    expect(await store.read(factsPath('r3'))).toBe('{"by":"hand"}\n');
    expect(await store.size(configPath('r4'))).toBeUndefined();
    expect(await store.read(configPath('r4'))).toBeUndefined();
    const heard: Record<string, string | undefined> = {};
    const note = (host: string) => (previous: string | undefined) => {
      heard[host] = previous;
      return `${host}: stored`;
    };
    await store.write(configPath('r2'), config('FOC0022'), note('r2'));
    const r4 = await store.write(configPath('r4'), config('FOC0004'), note('r4'));
    expect(heard).toEqual({ r2: config('FOC0002'), r4: undefined });
    expect(r4.diff).toBe(
      `--- /dev/null\n+++ b/configs/r4.cfg\n@@ -0,0 +1,6 @@\n${config('FOC0004').replace(/^/gm, '+').slice(0, -1)}`,
    );
    expect(await store.read(configPath('r4'))).toBe(config('FOC0004'));
    expect(await store.size(configPath('r4'))).toBe(config('FOC0004').length);
    await store.close(run(2));
    expect(git('show', 'HEAD:configs/r4.cfg')).toBe(config('FOC0004'));
    expect(git('show', 'HEAD:configs/r1.cfg')).toBe(config('EDITED'));
  });

  it('diffs the changed hosts of a run written at once in one git process, each its own diff', async () => {
    const hosts = Array.from({ length: 60 }, (_, i) => `r${i}`);
    const first = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => first.write(configPath(h), config(`OLD-${h}`))));
    // A commit of more files than a summary is printed for: its id is asked of git afterwards.
    expect(await first.commit(run(hosts.length))).toBe(git('rev-parse', 'HEAD').trim());
    await first.release();
    // Every git process the store starts is logged by a wrapper found first on PATH.
    const bin = path.join(path.dirname(dir), 'bin');
    const log = path.join(path.dirname(dir), 'git.log');
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, {
      mode: 0o755,
    });
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
    try {
      const second = await GitStore.open({ dir });
      const results = await Promise.all(hosts.map((h) => second.write(configPath(h), config(`NEW-${h}`))));
      for (const [i, h] of hosts.entries()) {
        expect(results[i]!.diff).toContain(`--- a/configs/${h}.cfg\n+++ b/configs/${h}.cfg\n`);
        expect(results[i]!.diff).toContain(`- description OLD-${h}\n+ description NEW-${h}\n`);
      }
      await second.release();
    } finally {
      process.env['PATH'] = savedPath;
    }
    const diffs = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => / diff .* HEAD -- /.test(line));
    expect(diffs).toHaveLength(1);
  });
});

/** `git count-objects -v` as numbers: `count` loose objects, `in-pack` packed ones, `size-pack` KiB. */
function objects(at = dir): Record<string, number> {
  return Object.fromEntries(
    execFileSync('git', ['-C', at, 'count-objects', '-v'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string])
      .map(([name, value]) => [name, Number(value)]),
  );
}

const hostConfig = (host: string, serial: string) =>
  `hostname ${host}\n!\ninterface Gi0/1\n description ${serial}\n!\nend\n`;

// As many new copies as make the commit pack them, and some more.
const hosts = Array.from({ length: GC_LOOSE_OBJECTS + 44 }, (_, i) => `sw${i}`);

describe('GitStore.open', () => {
  /** The git commands `body` runs (their subcommand and first argument), through a `git` on PATH that logs them. */
  async function gitCommands(body: () => Promise<void>): Promise<string[]> {
    const bin = path.join(path.dirname(dir), 'bin');
    const log = path.join(path.dirname(dir), 'git.log');
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nfor a; do case "$a" in -c) skip=1;; *) if [ -n "$skip" ]; then skip=; else echo "$a" >> ${JSON.stringify(log)}; break; fi;; esac; done\nexec ${JSON.stringify(real)} "$@"\n`,
      { mode: 0o755 },
    );
    const saved = process.env['PATH'];
    process.env['PATH'] = `${bin}:${saved ?? ''}`;
    try {
      await body();
    } finally {
      process.env['PATH'] = saved;
    }
    return readFileSync(log, 'utf8').trim().split('\n');
  }

  it('makes a new store with git init and one rev-parse, and an existing one is read by three git processes', async () => {
    expect(
      await gitCommands(async () => {
        const store = await GitStore.open({ dir });
        await store.release();
      }),
    ).toEqual(['init', 'rev-parse']);
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1'));
    await store.close(run(1));
    rmSync(path.join(path.dirname(dir), 'git.log'), { force: true });

    let reopened: GitStore | undefined;
    expect(
      (
        await gitCommands(async () => {
          reopened = await GitStore.open({ dir });
        })
      ).sort(),
    ).toEqual(['ls-tree', 'rev-parse', 'status']);
    // What it read is HEAD's: an unchanged copy is unchanged, a changed one is diffed against HEAD.
    expect((await reopened!.write(configPath('r1'), config('FOC1'))).changed).toBe(false);
    expect((await reopened!.write(configPath('r2'), config('FOC2'))).changed).toBe(true);
    await reopened!.close(run(1));
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('configs/r2.cfg');
  });

  it("commits a run through git's plumbing, the index left in sync with HEAD, as `git commit` would", async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1'));
    await first.write(configPath('r2'), config('FOC2'));
    await first.close(run(2));
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1'));
    // A note with trailing blanks, and an empty one: stored as `git commit --file` would store them.
    await store.write(configPath('r2'), config('FOC22'), 'r2: serial FOC2 -> FOC22  \t');
    await store.write(factsPath('r2'), '{}\n', '');
    const totals = run(1, [], 1);
    const commands = await gitCommands(() => store.close(totals));
    // No `git commit`: it would lstat every copy of the store to refresh the index. One update-ref
    // moves HEAD and makes the run's tag.
    // HEAD's commit, the parent, was read by the open's `git status`.
    expect(commands.sort()).toEqual(['commit-tree', 'diff', 'update-index', 'update-ref', 'write-tree']);
    // HEAD and the run's tag moved together.
    expect(git('rev-parse', `run/${totals.runId ?? ''}^{commit}`)).toBe(git('rev-parse', 'HEAD'));
    expect(git('log', '-1', '--format=%B')).toBe(
      `netops nightly-backup: 1 changed, 0 failed, 1 unchanged\n\nr2: serial FOC2 -> FOC22\n\nrun started 2026-11-23T02:00:00.000Z\n\nNetops-Run: ${totals.runId ?? ''}\n\n`,
    );
    expect(git('log', '-1', '--format=%ad %an <%ae> %cn', '--date=iso-strict').trim()).toBe(
      '2026-11-23T02:00:00+00:00 netops <netops@localhost> netops',
    );
    expect(git('log', '-1', '--format=%P').trim()).toBe(git('rev-parse', 'HEAD~1').trim());
    // The branch's and HEAD's reflogs say what `git commit` says.
    for (const ref of ['main', 'HEAD']) {
      expect(git('reflog', ref, '--format=%gs').trim().split('\n')).toEqual([
        'commit: netops nightly-backup: 1 changed, 0 failed, 1 unchanged',
        'commit (initial): netops nightly-backup: 2 changed, 0 failed, 0 unchanged',
      ]);
    }
    // What a user looking at the store sees: nothing staged, nothing modified.
    expect(git('status', '--porcelain')).toBe('');
    expect(git('diff', '--cached', '--name-only')).toBe('');
    expect(git('ls-files', '-s').replace(/ 0\t/g, '\t')).toBe(
      git('ls-tree', '-r', 'HEAD').replace(/ blob /g, ' '),
    );
    git('fsck', '--strict', '--no-progress');
  });

  it('commits twice from one open, each commit on the one before', async () => {
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1'));
    const first = await store.commit(run(1));
    await store.write(configPath('r1'), config('FOC2'));
    const second = await store.commit(run(1));
    await store.release();
    expect(git('rev-list', 'HEAD').trim().split('\n')).toEqual([second, first]);
  });

  it('leaves a run whose HEAD could not move committable by the next run, fsck clean', async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1'));
    await first.close(run(1));
    const head = git('rev-parse', 'HEAD');
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC2'), 'r1: FOC1 -> FOC2');
    // As if killed between the commit object and HEAD's move: git refuses to move the branch.
    const lock = path.join(dir, '.git', 'refs', 'heads', 'main.lock');
    writeFileSync(lock, '');
    await expect(store.commit(run(1))).rejects.toThrow(/stay written but uncommitted \(configs\/r1.cfg\)/);
    await store.release();
    expect(git('rev-parse', 'HEAD')).toBe(head);
    git('fsck', '--strict', '--no-progress');

    const repairs: string[] = [];
    const next = await GitStore.open({ dir, onRepair: (m) => repairs.push(m) });
    expect(repairs).toEqual([expect.stringContaining('.git/refs/heads/main.lock')]);
    await next.close(run(0, ['r1'])); // r1 not reached this time: its copy waits as it was written
    expect(git('show', 'HEAD:configs/r1.cfg')).toBe(config('FOC2'));
    expect(git('log', '-1', '--format=%B')).toContain('carried over from an interrupted run: configs/r1.cfg');
    expect(git('status', '--porcelain')).toBe('');
    git('fsck', '--strict', '--no-progress');
  });

  it.each([
    ['another host changed', true],
    ['nothing else changed', false],
  ])(
    'commits the config this run fetched, not a copy a killed run left staged, for a host back to its committed config (%s)',
    async (_, otherChanged) => {
      const first = await GitStore.open({ dir });
      await first.write(configPath('r1'), config('FOC1'));
      await first.write(configPath('r2'), config('FOC1'));
      await first.close(run(2));
      const head = git('rev-parse', 'HEAD');
      // A run fetched FOC2 for r1 and was killed after its `git update-index`, before its commit (a
      // user's `git add` of a hand edit leaves the index the same way).
      writeFileSync(path.join(dir, configPath('r1')), config('FOC2'));
      git('update-index', '--add', '--', configPath('r1'));

      const next = await GitStore.open({ dir });
      // The device runs FOC1 again: r1 is unchanged.
      expect(await next.write(configPath('r1'), config('FOC1'))).toEqual({ changed: false, diff: '' });
      if (otherChanged) await next.write(configPath('r2'), config('FOC3'), 'r2: FOC1 -> FOC3');
      await next.close(run(otherChanged ? 1 : 0, [], otherChanged ? 1 : 2));
      expect(git('show', 'HEAD:configs/r1.cfg')).toBe(config('FOC1'));
      if (otherChanged) expect(git('log', '-1', '--format=%B')).not.toContain('carried over');
      else expect(git('rev-parse', 'HEAD')).toBe(head);
      // Nothing stays staged for a later run's commit to take.
      expect(git('status', '--porcelain')).toBe('');
    },
  );

  it.each([
    ['cut to nothing', '', 'index file smaller than expected'],
    ['overwritten', 'X'.repeat(64), 'index file corrupt'],
  ])(
    'refuses an index %s with a hint that rebuilds it, after which a run commits and loses nothing',
    async (_, damage, said) => {
      const first = await GitStore.open({ dir });
      await first.write(configPath('r1'), config('FOC1'));
      await first.close(run(1));
      const killed = await GitStore.open({ dir });
      await killed.write(configPath('r2'), config('FOC1'));
      await killed.release(); // died before its commit: r2 waits in the working tree
      // As a power loss can leave it (git writes it without fsync).
      writeFileSync(path.join(dir, '.git', 'index'), damage);

      const refused = await GitStore.open({ dir }).catch((e: unknown) => e);
      expect(isNetopsError(refused, 'STORE_FAILED') && refused.message).toContain(said);
      const hint = isNetopsError(refused) ? refused.hint : '';
      // The hint's commands, as a user runs them.
      const commands = [...hint.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
      const index = path.join(dir, '.git', 'index');
      expect(commands).toEqual([
        `mv ${JSON.stringify(index)} ${JSON.stringify(`${index}.damaged`)}`,
        `git -C ${JSON.stringify(dir)} reset --quiet`,
      ]);
      for (const command of commands) execFileSync('sh', ['-c', command]);

      const next = await GitStore.open({ dir });
      await next.write(configPath('r1'), config('FOC2'));
      await next.close(run(1, ['r2']));
      expect(git('show', 'HEAD:configs/r1.cfg')).toBe(config('FOC2'));
      expect(git('show', 'HEAD:configs/r2.cfg')).toBe(config('FOC1'));
      expect(git('status', '--porcelain')).toBe('');
    },
  );

  it('commits through `git commit` when the store has a commit hook, also one in core.hooksPath', async () => {
    const hooks = path.join(path.dirname(dir), 'hooks');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(path.join(hooks, 'commit-msg'), '#!/bin/sh\necho "Hooked: yes" >> "$1"\n', { mode: 0o755 });
    const first = await GitStore.open({ dir });
    await first.release();
    git('config', 'core.hooksPath', hooks);
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1'));
    await store.close(run(1));
    expect(git('log', '-1', '--format=%B')).toContain('Hooked: yes');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('tags a run that changed nothing with one git process, on HEAD', async () => {
    const first = await GitStore.open({ dir });
    await first.write(configPath('r1'), config('FOC1'));
    await first.close(run(1));
    const head = git('rev-parse', 'HEAD').trim();
    const store = await GitStore.open({ dir });
    await store.write(configPath('r1'), config('FOC1'));
    const totals = run(0, [], 1);
    expect(await gitCommands(() => store.close(totals))).toEqual(['update-ref']);
    expect(git('rev-parse', `run/${totals.runId ?? ''}^{commit}`).trim()).toBe(head);
  });

  it('reads an existing repository without commits, and the files it holds are carried over', async () => {
    mkdirSync(path.join(dir, 'configs'), { recursive: true });
    execFileSync('git', ['init', '--quiet', dir]);
    writeFileSync(path.join(dir, configPath('r1')), config('FOC1'));
    const store = await GitStore.open({ dir });
    expect(store.committedBlob(configPath('r1'))).toBeUndefined();
    expect(await store.read(configPath('r1'))).toBe(config('FOC1'));
    await store.close(run(0));
    expect(git('log', '-1', '--format=%B')).toContain('carried over from an interrupted run: configs/r1.cfg');
  });

  it('opens a folder made a repository by a first open that wrote nothing, and one where files appeared since', async () => {
    const first = await GitStore.open({ dir });
    await first.release();
    writeFileSync(path.join(dir, 'NOTES.md'), 'mine\n');
    mkdirSync(path.join(dir, 'facts'));
    writeFileSync(path.join(dir, factsPath('r1')), '{}\n');
    const store = await GitStore.open({ dir });
    await store.close(run(0));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim()).toBe('facts/r1.json');
  });
});

/**
 * A config of a fleet built from templates: its platform's policy (some 10 KB, the same on every
 * host of the platform, unlike the other platform's) and a few lines of its own.
 */
function fleetConfig(host: string, platform: string): string {
  let state = platform.length * 7919;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31);
  const policy = Array.from(
    { length: 300 },
    () => ` permit ip 10.${next() >>> 23}.${next() >>> 23}.0 0.0.0.255 any log`,
  );
  return `hostname ${host}\n!\nip access-list extended ${platform}-POLICY\n${policy.join('\n')}\n!\nend\n`;
}

describe('GitStore with many new copies', () => {
  it("packs each family's copies on their own, where git's deltas find a sibling: a fraction of one mixed pack", async () => {
    // Two families large enough for a git each, alternating as the hosts of a mixed fleet finish.
    const fleet = Array.from({ length: 2 * FAMILY_MIN_HOSTS }, (_, i) => `sw${i}`);
    const families = new Map(fleet.map((h, i) => [h, i % 2 ? 'nxos' : 'ios']));
    const mixed = path.join(path.dirname(dir), 'mixed');
    for (const [folder, options] of [
      [dir, { families }],
      [mixed, {}],
    ] as const) {
      const store = await GitStore.open({ dir: folder, ...options });
      // One at a time: the order of git's streams is the order of the writes.
      for (const h of fleet) await store.write(configPath(h), fleetConfig(h, families.get(h) as string));
      await store.close(run(fleet.length));
    }
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n')).toHaveLength(fleet.length);
    expect(git('show', 'HEAD:configs/sw7.cfg')).toBe(fleetConfig('sw7', 'nxos'));
    expect(git('show', 'HEAD:configs/sw8.cfg')).toBe(fleetConfig('sw8', 'ios'));
    git('fsck', '--strict', '--no-progress');
    const byFamily = objects();
    expect(byFamily['packs']).toBe(2);
    expect(byFamily['in-pack']).toBeGreaterThanOrEqual(fleet.length);
    expect(byFamily['size-pack']).toBeLessThan((objects(mixed)['size-pack'] as number) / 5);
  });

  it('packs the families too small for a git of their own together, not as loose objects', async () => {
    // Three platforms of 100: each alone would be a stream fast-import writes loose.
    const families = new Map(hosts.map((h, i) => [h, ['ios', 'nxos', 'eos'][i % 3] as string]));
    const store = await GitStore.open({ dir, families });
    for (const h of hosts) await store.write(configPath(h), fleetConfig(h, families.get(h) as string));
    // As the commit left them, before any gc could pack loose ones.
    await store.commit(run(hosts.length));
    await store.release();
    expect(objects()).toMatchObject({ packs: 1 });
    expect(objects()['count']).toBeLessThan(10);
    git('fsck', '--strict', '--no-progress');
  });

  it("commits a first run's copies when a file of the user's lies in the store folders", async () => {
    const first = await GitStore.open({ dir });
    await first.release();
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'configs', 'README.md'), 'mine\n');
    const store = await GitStore.open({ dir, families: new Map(hosts.map((h) => [h, 'ios'])) });
    await Promise.all(hosts.map((h) => store.write(configPath(h), hostConfig(h, 'FOC1'))));
    await store.close(run(hosts.length));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD', 'configs/').trim().split('\n')).toHaveLength(
      hosts.length + 1,
    );
    expect(git('status', '--porcelain')).toBe('');
  });

  it('stores them as one pack, commits exactly them, and leaves staged work of the user out', async () => {
    const first = await GitStore.open({ dir });
    await first.release();
    writeFileSync(path.join(dir, 'NOTES.md'), 'mine\n');
    git('add', 'NOTES.md');

    const store = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => store.write(configPath(h), hostConfig(h, 'FOC1'), `${h}: first`)));
    const id = await store.commit(run(hosts.length));
    await store.release();

    expect(id).toBe(git('rev-parse', 'HEAD').trim());
    expect(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(
      hosts.map((h) => `configs/${h}.cfg`).sort(),
    );
    expect(git('status', '--porcelain').trim()).toBe('A  NOTES.md');
    // The blobs are packed; loose are only the user's, the commit and its trees.
    const counted = objects();
    expect(counted['in-pack']).toBeGreaterThanOrEqual(hosts.length);
    expect(counted['count']).toBeLessThan(10);
    git('fsck', '--strict', '--no-progress');
    expect(git('show', 'HEAD:configs/sw7.cfg')).toBe(hostConfig('sw7', 'FOC1'));
  });

  it('commits each copy as its file holds it when one changed on disk after git packed it', async () => {
    const store = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => store.write(configPath(h), hostConfig(h, 'FOC1'))));
    // Packed as written: the commit stages the file as it is now, not the copy git packed.
    writeFileSync(path.join(dir, configPath('sw7')), hostConfig('sw7', 'EDITED'));
    const id = await store.commit(run(hosts.length));
    await store.release();
    expect(id).toBe(git('rev-parse', 'HEAD').trim());
    expect(git('show', 'HEAD:configs/sw7.cfg')).toBe(hostConfig('sw7', 'EDITED'));
    expect(git('show', 'HEAD:configs/sw8.cfg')).toBe(hostConfig('sw8', 'FOC1'));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n')).toHaveLength(hosts.length);
    expect(git('status', '--porcelain')).toBe('');
    git('fsck', '--strict', '--no-progress');
  });

  it('commits them with the next run when the commit fails after they were staged', async () => {
    const store = await GitStore.open({ dir });
    // A failing hook stops the commit after the copies were packed and staged.
    const hook = path.join(dir, '.git', 'hooks', 'pre-commit');
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    await Promise.all(hosts.map((h) => store.write(configPath(h), hostConfig(h, 'FOC1'))));
    await expect(store.commit(run(hosts.length))).rejects.toThrow(/stay written but uncommitted/);
    await store.release();
    git('fsck', '--strict', '--no-progress');

    await rm(hook);
    const next = await GitStore.open({ dir });
    await next.close(run(0));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n')).toHaveLength(hosts.length);
    expect(git('log', '-1', '--format=%B')).toContain('carried over from an interrupted run');
    expect(git('show', 'HEAD:configs/sw42.cfg')).toBe(hostConfig('sw42', 'FOC1'));
    expect(git('status', '--porcelain')).toBe('');
    git('fsck', '--strict', '--no-progress');
  });

  it('commits the ones still there when one was deleted by hand before the commit', async () => {
    const store = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => store.write(configPath(h), hostConfig(h, 'FOC1'))));
    await rm(path.join(dir, configPath('sw5')));
    await store.close(run(hosts.length));
    const committed = git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n');
    expect(committed).toHaveLength(hosts.length - 1);
    expect(committed).not.toContain('configs/sw5.cfg');
    expect(git('show', 'HEAD:configs/sw299.cfg')).toBe(hostConfig('sw299', 'FOC1'));
    expect(git('status', '--porcelain')).toBe('');
    git('fsck', '--strict', '--no-progress');
  });

  it('are packed as they are written: a run that dies before its commit leaves them packed for the next', async () => {
    const killed = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => killed.write(configPath(h), hostConfig(h, 'FOC1'))));
    // Past GC_LOOSE_OBJECTS changed copies, the rest went to git as they were written; letting go of
    // the store finishes that pack (no git works in the store after its lock is gone).
    await killed.release();
    expect(objects()['in-pack']).toBeGreaterThan(hosts.length - GC_LOOSE_OBJECTS - 1);
    expect(objects()['count']).toBe(0);

    const next = await GitStore.open({ dir });
    await next.close(run(0));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n')).toHaveLength(hosts.length);
    expect(git('log', '-1', '--format=%B')).toContain('carried over from an interrupted run');
    expect(objects()['in-pack']).toBeGreaterThanOrEqual(hosts.length);
    git('fsck', '--strict', '--no-progress');
  });

  it('commits them from a copy of the index when nothing else is staged, and the index agrees after', async () => {
    const store = await GitStore.open({ dir });
    await Promise.all(hosts.map((h) => store.write(configPath(h), hostConfig(h, 'FOC1'))));
    await store.close(run(hosts.length));
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n')).toHaveLength(hosts.length);
    // The repository's own index holds what was committed: nothing staged, nothing modified.
    expect(git('status', '--porcelain')).toBe('');
    expect(git('diff', '--cached', '--name-only', 'HEAD')).toBe('');
    // The copy the commit used is gone.
    expect(git('status', '--porcelain', '--ignored')).toBe('');

    const next = await GitStore.open({ dir });
    const changed = await next.write(configPath('sw3'), hostConfig('sw3', 'FOC2'), 'sw3: serial');
    expect(changed.diff).toContain('- description FOC1\n+ description FOC2\n');
    await next.close(run(1, [], hosts.length - 1));
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('configs/sw3.cfg');
  });

  it("gives git's index the file data of a store copied elsewhere at the first run there", async () => {
    const first = await GitStore.open({ dir });
    await Promise.all(hosts.slice(0, 5).map((h) => first.write(configPath(h), hostConfig(h, 'FOC1'))));
    await first.close(run(5));
    // A copy of the store (cp -r, a restore): every file has a new inode and time, so git cannot
    // trust its index and hashes every copy to tell whether it changed.
    const copy = path.join(path.dirname(dir), 'copied');
    cpSync(dir, copy, { recursive: true });
    const inCopy = (...args: string[]) => execFileSync('git', ['-C', copy, ...args], { encoding: 'utf8' });
    const indexed = (h: string) => /ino: (\d+)/.exec(inCopy('ls-files', '--debug', configPath(h)))?.[1];
    const inode = (h: string) => String(statSync(path.join(copy, configPath(h))).ino);
    expect(indexed('sw1')).not.toBe(inode('sw1'));

    const next = await GitStore.open({ dir: copy });
    await next.write(configPath('sw0'), hostConfig('sw0', 'FOC2'));
    await next.close(run(1, [], 4));
    for (const h of hosts.slice(0, 5)) expect(indexed(h)).toBe(inode(h));
    expect(inCopy('status', '--porcelain')).toBe('');
    expect(inCopy('diff', '--cached', '--name-only', 'HEAD')).toBe('');
  });

  it('leaves unchanged working copies untouched and repairs one a killed run left different', async () => {
    const first = await GitStore.open({ dir });
    await Promise.all(hosts.slice(0, 3).map((h) => first.write(configPath(h), hostConfig(h, 'FOC1'))));
    await first.close(run(3));
    const head = git('rev-parse', 'HEAD');
    const file = (h: string) => path.join(dir, configPath(h));
    const before = statSync(file('sw1'));

    const killed = await GitStore.open({ dir });
    await killed.write(configPath('sw0'), hostConfig('sw0', 'HALF'));
    await killed.release(); // died before its commit

    const next = await GitStore.open({ dir });
    // The device's config is HEAD's again: unchanged, and the working copy is HEAD's again.
    for (const h of hosts.slice(0, 3))
      expect(await next.write(configPath(h), hostConfig(h, 'FOC1'))).toEqual({ changed: false, diff: '' });
    expect(readFileSync(file('sw0'), 'utf8')).toBe(hostConfig('sw0', 'FOC1'));
    const after = statSync(file('sw1'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Within a run too: a copy written changed and then written back is HEAD's again.
    await next.write(configPath('sw2'), hostConfig('sw2', 'FOC9'));
    await next.write(configPath('sw2'), hostConfig('sw2', 'FOC1'));
    expect(readFileSync(file('sw2'), 'utf8')).toBe(hostConfig('sw2', 'FOC1'));
    await next.close(run(0, [], 3));
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe('');
  });
});
