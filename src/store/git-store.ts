/**
 * The versioned backup store: a git repository with `configs/HOST.cfg` and `facts/HOST.json`,
 * one commit per run. Writes go to the working tree atomically and may come from many hosts at
 * once; only `commit()` (or `close()`, the job-resource hook) touches the index and HEAD.
 *
 * Opening: a missing or empty folder becomes a new repository; a non-empty folder that is not a
 * repository is refused; an existing repository is used as it is. The store stages and commits
 * only its own folders, so a user's other files and staged work are never swept into a netops
 * commit, and files an interrupted run left uncommitted are committed by the next run (its
 * message says so).
 *
 * An open store holds the store lock (`store-lock.ts`) until `close()` or `release()`: one netops
 * process at a time works in a repository. Opening also repairs what a killed run leaves: stale git
 * lock files (`git-locks.ts`) and temporary files of interrupted writes, which live under
 * `GITDIR/netops-tmp/` (never in the tracked folders) and are removed.
 *
 * Reading the history (`history()`, `fileVersions()`, `diffSince()`) needs no lock:
 * `openForReading()` serves reports beside a running backup. This is the only code that runs git.
 */
import { mkdir, readdir, readFile, stat, appendFile } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import { syncFolder, writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { commitMessage, type RunTotals } from './commit-message.js';
import {
  blobId,
  parseCatFileBatch,
  runGit,
  runGitBytes,
  type GitAuthor,
  type GitRunOptions,
  type ObjectFormat,
} from './git.js';
import { recoverGitLocks } from './git-locks.js';
import { REJECTED_FOLDER, STORE_FOLDERS, checkStorePath, type StoreFolder } from './paths.js';
import { lockStore, type StoreLock } from './store-lock.js';
import { OLD_TEMP_NAME, removeTemporaryFiles, tempFolder } from './temp-files.js';
import { newFileDiff, relabelDiff } from './unified-diff.js';

export interface GitStoreOptions {
  readonly dir: string;
  /** Author and committer of the run commits. @default { name: 'netops', email: 'netops@localhost' } */
  readonly author?: GitAuthor;
  /** git processes at once; writes from hundreds of hosts queue behind it. @default 4 */
  readonly gitConcurrency?: number;
  /** Who opens the store, named to a run refused by the store lock. @default 'netops' */
  readonly purpose?: string;
  /** Told about repairs done at open (stale git lock files removed, a dead run's lock taken over). */
  readonly onRepair?: (message: string) => void;
}

export interface WriteResult {
  /** The content differs from the last committed copy. */
  readonly changed: boolean;
  /** Unified diff against the last committed copy (`--- a/PATH`, `+++ b/PATH`, hunks); empty when unchanged. */
  readonly diff: string;
}

export interface HistoryEntry {
  readonly commit: string;
  /** Author date, ISO 8601 with offset. */
  readonly date: string;
  readonly subject: string;
  readonly body: string;
  readonly files: string[];
}

export interface HistoryOptions {
  /** Only commits touching this file (`configs/HOST.cfg`, `facts/HOST.json`); `files` lists only it. */
  readonly path?: string;
  /** Only commits touching this store folder; `files` lists only its files. */
  readonly folder?: StoreFolder;
  /** Only commits made since then (author date). */
  readonly since?: Date;
}

/** A file as one commit changed it; undefined where it did not exist (added, removed). */
export interface FileVersions {
  readonly before: string | undefined;
  readonly after: string | undefined;
}

/** What a reader of the store may do (`GitStore.openForReading`): nothing that writes or commits. */
export type StoreReader = Pick<GitStore, 'dir' | 'history' | 'diffSince' | 'fileVersions'>;

const DEFAULT_AUTHOR: GitAuthor = { name: 'netops', email: 'netops@localhost' };
/** git's well-known empty tree, the base for a diff of a file that did not exist yet. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export class GitStore {
  readonly dir: string;
  readonly #author: GitAuthor;
  readonly #queue: PQueue;
  /** Blob id per path at HEAD, read at open and after each commit. */
  #committed = new Map<string, string>();
  /** Notes per path written with a change in this run, in write order. */
  readonly #notes = new Map<string, string | undefined>();
  #carried: string[] = [];
  #objectFormat: ObjectFormat = 'sha1';
  #lock: StoreLock | undefined;
  #tempDir = '';
  /** Folders made sure to exist (with the temp folder): a write does not mkdir each time. */
  readonly #madeFolders = new Set<string>();
  /** Folders files were renamed into since the last commit, synced once each before it. */
  readonly #unsyncedFolders = new Set<string>();

  private constructor(dir: string, author: GitAuthor, concurrency: number) {
    this.dir = dir;
    this.#author = author;
    this.#queue = new PQueue({ concurrency });
  }

  static async open(options: GitStoreOptions): Promise<GitStore> {
    const dir = path.resolve(options.dir);
    const store = new GitStore(dir, options.author ?? DEFAULT_AUTHOR, options.gitConcurrency ?? 4);
    await store.#prepareRepository();
    const gitDir = (await store.#git(['rev-parse', '--absolute-git-dir'])).stdout.trim();
    store.#lock = await lockStore({ store: dir, gitDir, purpose: options.purpose ?? 'netops' });
    try {
      const { tookOver } = store.#lock;
      if (tookOver) {
        options.onRepair?.(
          `took over the store lock of a run that ended without releasing it (pid ${tookOver.pid}, ${tookOver.purpose}, started ${tookOver.startedAt})`,
        );
      }
      const removed = await recoverGitLocks({ store: dir, gitDir });
      if (removed.length > 0) {
        options.onRepair?.(
          `removed ${removed.join(', ')} left by a git process that was killed (no git process works in the store)`,
        );
      }
      store.#tempDir = tempFolder(gitDir);
      await removeTemporaryFiles(dir, gitDir);
      await store.#excludeFromGit([`/${REJECTED_FOLDER}/`, '.*.tmp']);
      await store.#snapshot();
      const leftover = await store.#git([
        'status',
        '--porcelain',
        '-z',
        '--untracked-files=all',
        '--',
        ...STORE_FOLDERS,
      ]);
      store.#carried = leftover.stdout
        .split('\0')
        .filter((entry) => entry.length > 3)
        .map((entry) => entry.slice(3))
        // Removed leftovers of old temp files leave history with this commit; they carry nothing over.
        .filter((file) => !OLD_TEMP_NAME.test(path.basename(file)));
      const format = (await store.#git(['rev-parse', '--show-object-format'])).stdout.trim();
      store.#objectFormat = format === 'sha256' ? 'sha256' : 'sha1';
      return store;
    } catch (error) {
      await store.release();
      throw error;
    }
  }

  /**
   * Opens an existing store to read its history, beside any run that holds the store lock: takes
   * no lock, repairs and creates nothing. A folder that is not in a git repository is refused.
   */
  static async openForReading(dir: string): Promise<StoreReader> {
    const store = new GitStore(path.resolve(dir), DEFAULT_AUTHOR, 1);
    const info = await stat(store.dir).catch((error: unknown) => {
      throw storeError(`cannot open the store ${store.dir}`, error);
    });
    if (!info.isDirectory()) {
      throw new NetopsError('STORE_FAILED', `the store ${store.dir} is not a folder`, {
        hint: 'Point at the store folder: the git repository holding configs/ and facts/.',
      });
    }
    await store.#git(['rev-parse', '--absolute-git-dir']);
    return store;
  }

  /** Lets go of the store lock without committing (the store may not be used afterwards). */
  async release(): Promise<void> {
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }

  /** The working-tree copy (the last good one), or undefined when the host has none yet. */
  async read(relPath: string): Promise<string | undefined> {
    try {
      return await readFile(path.join(this.dir, checkStorePath(relPath)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`cannot read ${relPath} in the store ${this.dir}`, error);
    }
  }

  /**
   * Stores `content` (already prepared) atomically. `note` becomes a line of the run's commit
   * message when the file changed. Safe to call for many hosts at once.
   */
  async write(relPath: string, content: string, note?: string): Promise<WriteResult> {
    const file = path.join(this.dir, checkStorePath(relPath));
    const before = this.#committed.get(relPath);
    // Hashed in-process: an unchanged config, the common case, costs no git process.
    if (blobId(content, this.#objectFormat) === before) {
      // Unchanged: only repair a working copy an interrupted run left behind.
      if ((await this.read(relPath)) !== content) await this.#writeFile(file, content);
      this.#notes.delete(relPath);
      return { changed: false, diff: '' };
    }
    await this.#writeFile(file, content);
    this.#notes.set(relPath, note);
    return {
      changed: true,
      diff: before === undefined ? newFileDiff(relPath, content) : await this.#diff(relPath, before, content),
    };
  }

  /** Diff of two blobs: the committed one and `content`, stored as an object so git can read it. */
  async #diff(relPath: string, before: string, content: string): Promise<string> {
    const blob = (await this.#git(['hash-object', '-w', '--stdin'], { input: content })).stdout.trim();
    const diff = await this.#git(['diff', '--no-ext-diff', '--no-textconv', '-U3', before, blob]);
    return relabelDiff(diff.stdout, relPath, false);
  }

  /**
   * Keeps a rejected config under `rejected/PATH` with `PATH.reason` beside it, for a human to
   * inspect; the last good copy is not touched. Returns where it went, relative to the store.
   */
  async keepAside(relPath: string, content: string, reason: string): Promise<string> {
    const aside = `${REJECTED_FOLDER}/${checkStorePath(relPath)}`;
    const file = path.join(this.dir, aside);
    await this.#writeFile(file, content);
    await this.#writeFile(`${file}.reason`, `${new Date().toISOString()} ${reason}\n`);
    return aside;
  }

  /**
   * Commits everything the run changed in the store folders as one commit; nothing changed, no
   * commit. Returns the new commit id.
   */
  async commit(run: RunTotals): Promise<string | undefined> {
    try {
      return await this.#commit(run);
    } catch (error) {
      if (!(error instanceof NetopsError)) throw error;
      // The configs are written and stay; say so, since every host line already said "changed".
      const pending = [...this.#notes.keys()];
      const left =
        pending.length === 0
          ? ''
          : ` ${pending.length} changed file(s) stay written but uncommitted (${pending.slice(0, 10).join(', ')}${pending.length > 10 ? ', ...' : ''}); the next run commits them.`;
      throw new NetopsError(
        'STORE_FAILED',
        `the run's commit in ${this.dir} failed: ${error.message}.${left}`,
        {
          hint: error.hint,
          cause: error,
          ...(error.details ? { details: error.details } : {}),
        },
      );
    }
  }

  async #commit(run: RunTotals): Promise<string | undefined> {
    await this.#syncFolders();
    const folders = await this.#existingFolders();
    if (folders.length === 0) return undefined;
    await this.#git(['add', '--all', '--', ...folders]);
    const staged = (
      await this.#git(['diff', '--cached', '--name-only', '-z', '--no-renames', '--', ...folders])
    ).stdout
      .split('\0')
      .filter(Boolean);
    if (staged.length === 0) return undefined;
    const inCommit = new Set(staged);
    const notes = [...this.#notes]
      .filter(([file, note]) => note !== undefined && inCommit.has(file))
      .map(([, note]) => note as string);
    const carried = this.#carried.filter((file) => inCommit.has(file) && !this.#notes.has(file));
    const message = commitMessage(run, { notes, carried });
    await this.#git(['commit', '--quiet', '--file=-', '--', ...staged], { input: message });
    this.#notes.clear();
    this.#carried = [];
    await this.#snapshot();
    return (await this.#git(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /** The job-resource hook: the runner calls it once when the run ends. Commits, then unlocks. */
  async close(run: RunTotals): Promise<void> {
    try {
      await this.commit(run);
    } finally {
      await this.release();
    }
  }

  /** Commits, newest first, optionally only those touching a file or folder or made since a date. */
  async history(options: HistoryOptions = {}): Promise<HistoryEntry[]> {
    if (!(await this.#head())) return [];
    const args = ['log', '--format=%x1e%H%x1f%aI%x1f%s%x1f%b%x1f', '--name-only'];
    if (options.since) args.push(`--since=${options.since.toISOString()}`);
    const paths = [
      ...(options.path === undefined ? [] : [checkStorePath(options.path)]),
      ...(options.folder === undefined ? [] : [`${options.folder}/`]),
    ];
    if (paths.length > 0) args.push('--', ...paths);
    const { stdout } = await this.#git(args);
    return stdout
      .split('\x1e')
      .slice(1)
      .map((record) => {
        const [commit = '', date = '', subject = '', body = '', files = ''] = record.split('\x1f');
        return { commit, date, subject, body: body.trim(), files: files.split('\n').filter(Boolean) };
      });
  }

  /** What changed in `relPath` between its committed state at `since` and HEAD; empty if nothing. */
  async diffSince(relPath: string, since: Date): Promise<string> {
    checkStorePath(relPath);
    if (!(await this.#head())) return '';
    const base = (
      await this.#git(['rev-list', '-1', `--before=${since.toISOString()}`, 'HEAD'])
    ).stdout.trim();
    const diff = await this.#git([
      'diff',
      '--no-ext-diff',
      '--no-textconv',
      base || EMPTY_TREE,
      'HEAD',
      '--',
      relPath,
    ]);
    return relabelDiff(diff.stdout, relPath, /^--- \/dev\/null$/m.test(diff.stdout));
  }

  /**
   * Each file as its commit left it and as it was just before (`history()` names the commits and
   * files), read through one `git cat-file --batch` however many there are.
   */
  async fileVersions(
    changes: readonly { readonly commit: string; readonly path: string }[],
  ): Promise<FileVersions[]> {
    if (changes.length === 0) return [];
    const specs = changes.flatMap(({ commit, path: file }) => {
      if (!/^[0-9a-f]{7,64}$/.test(commit) || /[\n\r]/.test(file)) {
        throw new NetopsError(
          'STORE_FAILED',
          `${JSON.stringify(`${commit}:${file}`)} is not a commit and file of the store`,
          {
            hint: 'Pass commit ids and file names as history() returns them.',
          },
        );
      }
      return [`${commit}^:${file}`, `${commit}:${file}`];
    });
    const { stdout } = await this.#queue.add(() =>
      runGitBytes(this.dir, this.#author, ['cat-file', '--batch'], { input: `${specs.join('\n')}\n` }),
    );
    const blobs = parseCatFileBatch(stdout, specs.length);
    return changes.map((_, i) => ({ before: blobs[2 * i], after: blobs[2 * i + 1] }));
  }

  async #prepareRepository(): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw storeError(`cannot open the store ${this.dir}`, error);
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      entries = [];
    }
    if (!entries.includes('.git')) {
      if (entries.length > 0) {
        throw new NetopsError(
          'STORE_FAILED',
          `the store folder ${this.dir} is not empty and is not a git repository`,
          {
            hint: 'Point store.dir at an empty or new folder, or at a git repository made for the backups.',
          },
        );
      }
      await this.#git(['init', '--quiet', '--initial-branch=main']);
    }
  }

  /** Rules in `info/exclude`: kept out of history without touching the user's .gitignore. */
  async #excludeFromGit(rules: readonly string[]): Promise<void> {
    const exclude = path.resolve(
      this.dir,
      (await this.#git(['rev-parse', '--git-path', 'info/exclude'])).stdout.trim(),
    );
    const current = await readFile(exclude, 'utf8').catch(() => '');
    const lines = current.split('\n');
    const missing = rules.filter((rule) => !lines.includes(rule));
    if (missing.length === 0) return;
    await mkdir(path.dirname(exclude), { recursive: true });
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    await appendFile(exclude, `${separator}${missing.join('\n')}\n`);
  }

  async #snapshot(): Promise<void> {
    this.#committed = new Map();
    if (!(await this.#head())) return;
    const { stdout } = await this.#git(['ls-tree', '-r', '-z', 'HEAD', '--', ...STORE_FOLDERS]);
    for (const entry of stdout.split('\0').filter(Boolean)) {
      const tab = entry.indexOf('\t');
      const blob = entry.slice(0, tab).split(' ')[2];
      if (blob) this.#committed.set(entry.slice(tab + 1), blob);
    }
  }

  async #head(): Promise<string | undefined> {
    const { stdout, code } = await this.#git(['rev-parse', '--quiet', '--verify', 'HEAD^{commit}'], {
      okCodes: [0, 1],
    });
    return code === 0 ? stdout.trim() : undefined;
  }

  async #existingFolders(): Promise<string[]> {
    const found: string[] = [];
    for (const folder of STORE_FOLDERS) {
      const info = await stat(path.join(this.dir, folder)).catch(() => undefined);
      if (info?.isDirectory()) found.push(folder);
    }
    return found;
  }

  async #writeFile(file: string, content: string): Promise<void> {
    const folder = path.dirname(file);
    try {
      if (!this.#madeFolders.has(folder)) {
        await mkdir(folder, { recursive: true, mode: 0o700 });
        await mkdir(this.#tempDir, { recursive: true });
        this.#madeFolders.add(folder);
      }
      // Owner only: configs describe the network, and with sanitizing off they hold its secrets.
      await writeFileAtomic(file, content, {
        tempDir: this.#tempDir,
        mode: 0o600,
        makeFolders: false,
        syncFolder: false,
      });
      this.#unsyncedFolders.add(folder);
    } catch (error) {
      throw storeError(`cannot write ${path.relative(this.dir, file)} in the store ${this.dir}`, error);
    }
  }

  /** The renames of the run's writes reach the disk: each folder written to is synced once, not once per file. */
  async #syncFolders(): Promise<void> {
    for (const folder of this.#unsyncedFolders) await syncFolder(folder);
    this.#unsyncedFolders.clear();
  }

  #git(args: readonly string[], options?: GitRunOptions) {
    return this.#queue.add(() => runGit(this.dir, this.#author, args, options));
  }
}

function storeError(message: string, cause: unknown): NetopsError {
  const reason =
    (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause));
  return new NetopsError('STORE_FAILED', `${message} (${reason})`, {
    hint: 'Check that the store folder exists, is writable by this user and that the disk is not full.',
    cause,
  });
}
