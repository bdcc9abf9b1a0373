/**
 * Runs the `git` program for the store: fixed settings that make output parseable and commits
 * independent of the user's git configuration (no signing prompts, no pager, no colour, no
 * external diff), with the store's author as author and committer.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import path from 'node:path';
import { NetopsError } from '../core/errors.js';

export interface GitAuthor {
  readonly name: string;
  readonly email: string;
}

/**
 * Writes git's input as it comes (a pack's worth of files) into its stdin, then ends it; waits for
 * the pipe's 'drain' itself. Called once, right after git started; may not throw.
 */
export type StdinFeed = (stdin: Writable) => void;

export interface GitRunOptions {
  /** Bytes for stdin: a string, or a feed that writes them as they come. */
  readonly input?: string | StdinFeed;
  /** Exit codes that are not failures (`git diff --no-index` exits 1 on differences). @default [0] */
  readonly okCodes?: readonly number[];
  /** More `-c NAME=VALUE` settings for this command, after (so over) the fixed ones. @default [] */
  readonly settings?: readonly string[];
  /** An index file other than the repository's own (absolute path; `GIT_INDEX_FILE`). */
  readonly indexFile?: string;
  /** The author date of a commit made by `commit-tree` (`GIT_AUTHOR_DATE`, any form git reads). */
  readonly authorDate?: string;
  /**
   * Let a read (`git status`) take `index.lock` to write back the file data it refreshed. @default false
   */
  readonly optionalLocks?: boolean;
}

export interface GitResult {
  readonly stdout: string;
  readonly code: number;
}

/** Author and committer of the run commits unless the job names others. */
export const STORE_AUTHOR: GitAuthor = { name: 'netops', email: 'netops@localhost' };

/** Runs one git command in the store, through its owner's queue. */
export type StoreGit = (args: readonly string[], options?: GitRunOptions) => Promise<GitResult>;

const fixedSettings = [
  'core.quotepath=false',
  'core.autocrlf=false',
  'core.pager=cat',
  'commit.gpgsign=false',
  'color.ui=false',
  'diff.noprefix=false',
  'diff.mnemonicprefix=false',
  'log.showsignature=false',
  // git's own auto-gc after a commit would detach into the background and still work in the store
  // when the lock is released; netops runs `gc --auto` itself, in the foreground (GitStore.maintain).
  'maintenance.auto=false',
  'gc.auto=0',
].flatMap((setting) => ['-c', setting]);

export async function runGit(
  dir: string,
  author: GitAuthor,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<GitResult> {
  const { stdout, code } = await runGitBytes(dir, author, args, options);
  return { stdout: stdout.toString('utf8'), code };
}

/** runGit with stdout as bytes, for output that counts bytes (`git cat-file --batch`). */
export function runGitBytes(
  dir: string,
  author: GitAuthor,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<{ readonly stdout: Buffer; readonly code: number }> {
  const okCodes = options.okCodes ?? [0];
  return new Promise((resolve, reject) => {
    const settings = (options.settings ?? []).flatMap((setting) => ['-c', setting]);
    const child = spawn('git', [...fixedSettings, ...settings, ...args], {
      cwd: dir,
      env: {
        ...inheritedEnv(),
        LC_ALL: 'C',
        GIT_TERMINAL_PROMPT: '0',
        // Reads (status, diff) must not take index.lock to refresh the index on the side, unless told.
        GIT_OPTIONAL_LOCKS: options.optionalLocks ? '1' : '0',
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        ...(options.indexFile ? { GIT_INDEX_FILE: options.indexFile } : {}),
        ...(options.authorDate ? { GIT_AUTHOR_DATE: options.authorDate } : {}),
        // glibc hands freed heap back to the kernel past 128 KB; git frees its per-file buffers after
        // each file, so packing or adding thousands of configs was mostly brk calls (fast-import of
        // 10,000 configs of 43 KB: 14.8-17.2 s with 7.1 s of system time, 2.6-3.5 s and 0.1-0.2 s
        // with this padding; git add of 3,000 new ones: a third less system time). Address space
        // only: no page is touched until git uses it.
        MALLOC_TOP_PAD_: String(64 * 1024 * 1024),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new NetopsError('STORE_FAILED', `cannot run git for the store in ${dir}: ${error.message}`, {
          hint: spawnHint(error.code, dir),
          cause: error,
        }),
      ),
    );
    child.on('close', (code) => {
      const exit = code ?? -1;
      if (okCodes.includes(exit)) {
        resolve({ stdout: Buffer.concat(out), code: exit });
        return;
      }
      reject(gitFailure(dir, args, exit, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input; the exit code tells
    const input = options.input ?? '';
    // A feed writes straight into the pipe: a Readable and a pipeline per run cost TurboFan
    // recompiles of Node's stream code, which the SSH sessions share (first runs, issue 16).
    if (typeof input === 'string') child.stdin.end(input);
    else input(child.stdin);
  });
}

/**
 * What to do when git could not be started, by errno (Node's message names it): only ENOENT says
 * git is missing; the others are the machine's state or the user's rights.
 */
function spawnHint(code: string | undefined, dir: string): string {
  switch (code) {
    case 'ENOENT':
      return 'Install git (Debian: apt-get install git) and make sure it is on PATH.';
    case 'EAGAIN':
    case 'ENOMEM':
      return "The machine is out of processes or memory (this user's process limit, `ulimit -u`, or RAM): find what uses them up (`ps`, `free -m`), then run again.";
    case 'EACCES':
    case 'EPERM':
      return `This user may not run git or enter ${dir}: check the mode of git on PATH and of the store folder.`;
    default:
      return "Check that git on PATH runs for this user (`git --version`) and the machine's limits (`ulimit -a`), then run again.";
  }
}

/** Longest git message kept whole; longer ones keep their start and end. */
const MAX_MESSAGE = 4000;

/**
 * The whole of git's message (never its last lines only: git's lock message ends mid-explanation),
 * and for a lock file git could not create, which file it is and what to do.
 */
function gitFailure(dir: string, args: readonly string[], exit: number, stderr: string): NetopsError {
  const text = stderr.trim().replace(/\s*\n\s*/g, ' ');
  const message =
    text.length <= MAX_MESSAGE
      ? text
      : `${text.slice(0, MAX_MESSAGE / 2)} [...] ${text.slice(-MAX_MESSAGE / 2)}`;
  const lock = /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1];
  if (lock) {
    return new NetopsError(
      'STORE_FAILED',
      `git ${args[0]} in ${dir} failed (exit ${exit}): the lock file ${lock} exists: ${message}`,
      {
        hint: `A git process is working in the store or was killed and left ${lock}. If no git process runs there, remove ${lock}; the next netops run on this store removes it by itself when no git works in it.`,
        details: { args: [...args], exit, lock },
      },
    );
  }
  return new NetopsError('STORE_FAILED', `git ${args[0]} in ${dir} failed (exit ${exit}): ${message}`, {
    hint: 'Check the store folder: permissions, free space, and that it is a healthy git repository (git fsck).',
    details: { args: [...args], exit },
  });
}

/** The caller's environment minus GIT_* variables: a GIT_DIR or GIT_INDEX_FILE set by a hook that
 * runs netops would otherwise point the store's commands at another repository. */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')));
}

/**
 * The objects `git cat-file --batch` printed, in request order: a blob's text, undefined for a
 * missing one. Each answer is `<id> <type> <bytes>\n<content>\n` or `<request> missing\n`.
 */
export function parseCatFileBatch(out: Buffer, count: number): (string | undefined)[] {
  const result: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = /^\S+ (\S+) (\d+)$/.exec(out.subarray(at, eol < 0 ? out.length : eol).toString());
    at = eol + 1;
    if (!header) {
      result.push(undefined);
      continue;
    }
    const size = Number(header[2]);
    result.push(header[1] === 'blob' ? out.subarray(at, at + size).toString('utf8') : undefined);
    at += size + 1;
  }
  return result;
}

export type ObjectFormat = 'sha1' | 'sha256';

export interface RepositoryLocation {
  readonly gitDir: string;
  /** The repository's `info/exclude` file, absolute. */
  readonly exclude: string;
  /** Its object database (`objects/`, shared by linked worktrees), absolute. */
  readonly objects: string;
  /** The folder git runs hooks from (`core.hooksPath` or `hooks/`), absolute. */
  readonly hooks: string;
  readonly objectFormat: ObjectFormat;
  /** The commit HEAD named when git was asked, or undefined in a repository without commits. */
  readonly head: string | undefined;
}

/**
 * The store's git directory, its `info/exclude` file, its object database, its hooks folder, its
 * object format and the commit HEAD names, asked of one git process (a folder that is not in a repository is refused
 * by git here). HEAD's `--verify` comes last: git prints the other answers first and exits 1 when
 * HEAD names no commit (a repository without commits).
 */
export async function locateRepository(git: StoreGit, dir: string): Promise<RepositoryLocation> {
  const { stdout, code } = await git(
    [
      'rev-parse',
      '--absolute-git-dir',
      '--git-path',
      'info/exclude',
      '--git-path',
      'objects',
      '--git-path',
      'hooks',
      '--show-object-format',
      '--quiet',
      '--verify',
      'HEAD^{commit}',
    ],
    { okCodes: [0, 1] },
  ).catch((error: unknown) => {
    throw notRepository(error) ?? error;
  });
  const lines = stdout.split('\n');
  const [gitDir = '', exclude = '', objects = '', hooks = '', format = '', head = ''] = lines;
  if (lines.length < 5 || [gitDir, exclude, objects, hooks, format].includes('')) {
    throw new NetopsError(
      'STORE_FAILED',
      `cannot locate the git repository of ${dir} (git rev-parse exit ${code})`,
      {
        hint: 'Check the store folder: permissions, and that it is a healthy git repository (git fsck).',
      },
    );
  }
  return {
    gitDir,
    exclude: path.resolve(dir, exclude),
    objects: path.resolve(dir, objects),
    hooks: path.resolve(dir, hooks),
    objectFormat: format === 'sha256' ? 'sha256' : 'sha1',
    head: code === 0 && /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(head) ? head : undefined,
  };
}

/**
 * git's refusal of a folder that is in no repository, said so (`details.notRepository`: a caller
 * that knows which option named the folder hints at it), or undefined for any other failure.
 */
function notRepository(error: unknown): NetopsError | undefined {
  if (!(error instanceof NetopsError) || !/not a git repository/.test(error.message)) return undefined;
  return new NetopsError('STORE_FAILED', error.message, {
    hint: 'Point at the store folder: the git repository holding configs/ and facts/.',
    cause: error,
    details: { ...error.details, notRepository: true },
  });
}

/** The commit HEAD names, or undefined in a repository without commits. */
export async function headCommit(git: StoreGit): Promise<string | undefined> {
  const { stdout, code } = await git(['rev-parse', '--quiet', '--verify', 'HEAD^{commit}'], {
    okCodes: [0, 1],
  });
  return code === 0 ? stdout.trim() : undefined;
}

/** The id git gives `content` as a blob (`git hash-object`), computed without running git. */
export function blobId(content: string | Buffer, format: ObjectFormat): string {
  // A string is hashed as it is (UTF-8): no copy of a whole config as a Buffer for each host.
  const length = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  return createHash(format).update(`blob ${length}\0`).update(content).digest('hex');
}
