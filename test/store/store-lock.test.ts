/**
 * The store's own lock and what a killed run leaves in a repository: one netops process at a time
 * per store (the refusal names the holder), a dead holder's lock taken over (also when its PID was
 * reused), stale git lock files removed when no git works in the store and reported when one does,
 * git's messages kept whole, and temporary files of interrupted writes never committed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentHolder, processStartTime } from '../../src/core/lock-file.js';
import { recoverGitLocks } from '../../src/store/git-locks.js';
import { runGit } from '../../src/store/git.js';
import { GitStore } from '../../src/store/git-store.js';
import { configPath } from '../../src/store/paths.js';
import { OLD_TEMP_SWEPT } from '../../src/store/temp-files.js';
import { useTempDir } from '../helpers/fixture.js';

const root = useTempDir('netops-store-lock-');

const totals = {
  job: 'test',
  startedAt: '2026-11-29T02:00:00.000Z',
  counts: { ok: 0, changed: 1, failed: 0, skipped: 0 },
  failedHosts: [],
  aborted: false,
};
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

async function storeWithOneCommit(name: string): Promise<string> {
  const dir = path.join(root, name);
  const store = await GitStore.open({ dir });
  await store.write(configPath('r1'), 'hostname r1\nend\n');
  await store.close(totals);
  return dir;
}

describe('the store lock', () => {
  it('lives in the git directory and refuses a second process, naming pid, host, job and start', async () => {
    const dir = await storeWithOneCommit('two-processes');
    const store = await GitStore.open({ dir, purpose: 'job nightly (/etc/netops/nightly.yaml)' });
    const lock = JSON.parse(await readFile(path.join(dir, '.git', 'netops.lock'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(lock).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      purpose: 'job nightly (/etc/netops/nightly.yaml)',
    });
    // Another process (the built store, as `netops run` uses it) is refused.
    const other = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { GitStore } from ${JSON.stringify(path.resolve('dist/store/git-store.js'))};
         try { await GitStore.open({ dir: ${JSON.stringify(dir)}, purpose: 'job other' }); process.exit(0); }
         catch (e) { process.stdout.write(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })); process.exit(1); }`,
      ],
      { encoding: 'utf8' },
    );
    expect(other.status).toBe(1);
    const refusal = JSON.parse(other.stdout) as { code: string; message: string; hint: string };
    expect(refusal.code).toBe('LOCKED');
    expect(refusal.message).toBe(
      `the store ${dir} is in use by another netops run (pid ${process.pid} on ${os.hostname()}, job nightly (/etc/netops/nightly.yaml), started ${lock['startedAt'] as string})`,
    );
    await store.close(totals);
    expect(existsSync(path.join(dir, '.git', 'netops.lock'))).toBe(false);
  });

  it('is a store failure with a hint, leaving nothing behind, when the disk refuses its file', async () => {
    const dir = await storeWithOneCommit('disk-refuses');
    // The built store (as `netops run` opens it) in a process that may write no byte to any file
    // (`ulimit -f 0`: EFBIG, SIGXFSZ ignored), as a full disk refuses the lock's first write (ENOSPC).
    const opener = `import { GitStore } from ${JSON.stringify(path.resolve('dist/store/git-store.js'))};
      try { await GitStore.open({ dir: ${JSON.stringify(dir)} }); process.exit(0); }
      catch (e) { process.stdout.write(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })); process.exit(1); }`;
    const refused = spawnSync(
      'sh',
      ['-c', 'trap "" XFSZ; ulimit -f 0; exec "$0" --input-type=module -e "$1"', process.execPath, opener],
      { encoding: 'utf8' },
    );
    expect(refused.status, refused.stderr).toBe(1);
    const failure = JSON.parse(refused.stdout) as { code: string; message: string; hint: string };
    // Not INTERNAL ("a bug in netops: please report it"), as the file system's own error was.
    expect(failure).toEqual({
      code: 'STORE_FAILED',
      message: `cannot take the store lock ${path.join(dir, '.git', 'netops.lock')} (EFBIG)`,
      hint: expect.stringContaining('that its disk is not full') as unknown,
    });
    // Each refused run used to leave an empty draft of the lock (netops.lock.TOKEN) in .git.
    expect((await readdir(path.join(dir, '.git'))).filter((name) => name.startsWith('netops.lock'))).toEqual(
      [],
    );
  });

  it('takes over the lock of a dead holder, and of a live PID that started at another time', async () => {
    const dir = await storeWithOneCommit('stale');
    const file = path.join(dir, '.git', 'netops.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(
      file,
      JSON.stringify({ ...currentHolder('job gone'), pid: Number(dead.stdout.toString()) }),
    );
    const repairs: string[] = [];
    await (await GitStore.open({ dir, onRepair: (m) => repairs.push(m) })).release();
    expect(repairs).toEqual([expect.stringMatching(/^took over the store lock of a run .*job gone/)]);

    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    try {
      const pid = sleeper.pid as number;
      const start = processStartTime(pid) as string;
      await writeFile(
        file,
        JSON.stringify({ ...currentHolder('job reused'), pid, procStart: String(Number(start) + 7) }),
      );
      repairs.length = 0;
      await (await GitStore.open({ dir, onRepair: (m) => repairs.push(m) })).release();
      expect(repairs).toEqual([expect.stringContaining(`pid ${pid}, job reused`)]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

describe('git lock files left by a killed git', () => {
  it('git refuses with its whole message naming the lock file; the next open removes it and commits', async () => {
    const dir = await storeWithOneCommit('index-lock');
    const lock = path.join(dir, '.git', 'index.lock');
    await writeFile(lock, '');
    const failure = await runGit(dir, { name: 'n', email: 'n@x' }, ['add', '--all', '--', 'configs']).catch(
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(failure).toMatchObject({ code: 'STORE_FAILED' });
    expect((failure as { message: string }).message).toContain(`the lock file ${lock} exists`);
    // git's explanation is kept to its end (it used to be cut after "are terminated then try again").
    expect((failure as { message: string }).message).toContain('remove the file manually to continue.');
    expect((failure as { hint: string }).hint).toContain(`remove ${lock}`);

    const repairs: string[] = [];
    const store = await GitStore.open({ dir, onRepair: (m) => repairs.push(m) });
    expect(repairs).toEqual([
      'removed .git/index.lock left by a git process that was killed (no git process works in the store)',
    ]);
    await store.write(configPath('r1'), 'hostname r1\ninterface x\nend\n');
    await store.close(totals);
    expect(git(dir, 'show', 'HEAD:configs/r1.cfg')).toBe('hostname r1\ninterface x\nend\n');
    expect(existsSync(lock)).toBe(false);
  });

  it("removes the lock files a killed gc leaves beside the reflogs and the commit graph, so the store's maintenance works again", async () => {
    const dir = await storeWithOneCommit('gc-killed');
    // `git gc` killed (with its process group) 15 ms in left HEAD.lock and logs/HEAD.lock (reflog
    // expire); killed while it writes the commit graph, objects/info/commit-graph.lock.
    const reflogLock = path.join(dir, '.git', 'logs', 'HEAD.lock');
    const graphLock = path.join(dir, '.git', 'objects', 'info', 'commit-graph.lock');
    await writeFile(reflogLock, '');
    await mkdir(path.dirname(graphLock), { recursive: true });
    await writeFile(graphLock, '');
    // Two loose objects in objects/17, git's sample folder: the next run's `gc --auto` has work.
    for (let i = 0, found = 0; found < 2; i++) {
      const text = `object ${i}\n`;
      if (!createHash('sha1').update(`blob ${text.length}\0${text}`).digest('hex').startsWith('17')) continue;
      execFileSync('git', ['-C', dir, 'hash-object', '-w', '--stdin'], { input: text });
      found++;
    }

    const repairs: string[] = [];
    const warnings: string[] = [];
    const store = await GitStore.open({
      dir,
      onRepair: (m) => repairs.push(m),
      onWarning: (m) => warnings.push(m),
    });
    expect(repairs).toEqual([
      'removed .git/logs/HEAD.lock, .git/objects/info/commit-graph.lock left by a git process that was killed (no git process works in the store)',
    ]);
    await store.write(configPath('r1'), 'hostname r1\ninterface x\nend\n');
    await store.close(totals);
    // A lock left in place made every later run's maintenance fail (a warning each run, never packed).
    expect(warnings).toEqual([]);
    expect(git(dir, 'count-objects', '-v')).toMatch(/^packs: [1-9]/m);
  });

  it('reports a lock file while a git process works in the store, naming the file and the process', async () => {
    const dir = await storeWithOneCommit('busy');
    await mkdir(path.join(dir, '.git', 'refs', 'heads'), { recursive: true });
    const lock = path.join(dir, '.git', 'refs', 'heads', 'main.lock');
    await writeFile(lock, '');
    // A git that waits on its input, working in the store: someone's command still running.
    const busy = spawn('git', ['hash-object', '--stdin'], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await expect(
        recoverGitLocks({ store: dir, gitDir: path.join(dir, '.git'), waitMs: 300 }),
      ).rejects.toMatchObject({
        code: 'LOCKED',
        message: `git is still working in the store ${dir} (pid ${busy.pid}) and holds ${lock}`,
      });
      expect(existsSync(lock)).toBe(true);
    } finally {
      busy.stdin.end();
    }
    await new Promise((resolve) => busy.on('exit', resolve));
    expect(await recoverGitLocks({ store: dir, gitDir: path.join(dir, '.git') })).toEqual([
      '.git/refs/heads/main.lock',
    ]);
  });
});

describe('temporary files', () => {
  it('never land in the tracked tree, and leftovers of older versions are removed from it and from history', async () => {
    const dir = await storeWithOneCommit('temp');
    // An older netops wrote temp files beside the configs; one even got committed. It never marked
    // the store as searched for them.
    await rm(path.join(dir, '.git', OLD_TEMP_SWEPT));
    const old = path.join(dir, 'configs', '.r64.cfg.0123456789ab.tmp');
    await writeFile(old, 'hostname r64\ninter');
    git(dir, 'add', '--force', 'configs/.r64.cfg.0123456789ab.tmp');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '-m', 'old bug');
    await mkdir(path.join(dir, '.git', 'netops-tmp'), { recursive: true });
    await writeFile(path.join(dir, '.git', 'netops-tmp', '.r2.cfg.aaaaaaaaaaaa.tmp'), 'half');

    const store = await GitStore.open({ dir });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(path.join(dir, '.git', 'netops-tmp', '.r2.cfg.aaaaaaaaaaaa.tmp'))).toBe(false);
    await store.write(configPath('r2'), 'hostname r2\nend\n');
    await store.close(totals);
    expect(git(dir, 'ls-files')).toBe('configs/r1.cfg\nconfigs/r2.cfg\n');
    const message = git(dir, 'log', '-1', '--format=%B');
    expect(message).not.toContain('.tmp');
    // A temp file appearing in a tracked folder (another tool, a crash of an old version) is ignored.
    await writeFile(path.join(dir, 'configs', '.r3.cfg.bbbbbbbbbbbb.tmp'), 'x');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });
});
