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
 * Each run's commit carries the run id (a `Netops-Run` trailer), and the store as the run left it
 * is tagged `run/RUN_ID`, also when the run changed nothing. After the commit, under the lock,
 * `git gc --auto` keeps the repository packed (`maintenance.ts`); its failure is a warning only.
 *
 * Reading the history (`history()`, `fileHistory()`, `fileVersions()`, `diffSince()`, `diff()`,
 * `grep()`, `runs()`, `resolve()`) needs no lock: `openForReading()` serves reports and the history
 * commands beside a running backup. This is the only code that runs git.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, appendFile } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import { syncFolder, writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { RUN_TRAILER, commitMessage, type RunTotals } from './commit-message.js';
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
import { fileLogFormat, parseFileLog, parseGrep, type FileChange, type GrepMatch } from './history-parse.js';
import { MAINTENANCE_SETTINGS } from './maintenance.js';
import { REJECTED_FOLDER, STORE_FOLDERS, checkStorePath, type StoreFolder } from './paths.js';
import { RUN_TAGS, isRunOf, parseRevision, runTag, unknownRevision, type RevisionSpec } from './revisions.js';
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
  /** Told about what went wrong after the run's commit and tag were made (store maintenance). */
  readonly onWarning?: (message: string) => void;
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

/** A state of the store a user named (`GitStore.resolve`). */
export interface Revision {
  /** As the user wrote it. */
  readonly name: string;
  readonly commit: string;
  /** The commit's author date, ISO 8601 with offset. */
  readonly date: string;
  /** The run that made the commit, from its trailer. */
  readonly runId?: string;
}

/** A run's tag: the store as that run left it. */
export interface RunRef {
  readonly id: string;
  readonly commit: string;
}

export interface GrepOptions {
  /** The pattern is a plain string, not a regular expression. @default false */
  readonly fixed?: boolean;
  /** @default false */
  readonly ignoreCase?: boolean;
}

/** What a reader of the store may do (`GitStore.openForReading`): nothing that writes or commits. */
export type StoreReader = Pick<
  GitStore,
  | 'dir'
  | 'history'
  | 'diffSince'
  | 'fileVersions'
  | 'fileHistory'
  | 'diff'
  | 'grep'
  | 'runs'
  | 'resolve'
  | 'files'
  | 'readAt'
>;

const DEFAULT_AUTHOR: GitAuthor = { name: 'netops', email: 'netops@localhost' };

/** Most paths one `git diff` is given: its command line stays far below the system's limit. */
const MAX_DIFF_BATCH = 500;

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
  #onWarning: ((message: string) => void) | undefined;
  /** Changed paths waiting for their diff: the next git process diffs all of them at once. */
  #diffBatch: { readonly paths: Set<string>; readonly result: Promise<Map<string, string>> } | undefined;

  private constructor(dir: string, author: GitAuthor, concurrency: number) {
    this.dir = dir;
    this.#author = author;
    this.#queue = new PQueue({ concurrency });
  }

  static async open(options: GitStoreOptions): Promise<GitStore> {
    const dir = path.resolve(options.dir);
    const store = new GitStore(dir, options.author ?? DEFAULT_AUTHOR, options.gitConcurrency ?? 4);
    store.#onWarning = options.onWarning;
    await store.#prepareRepository();
    const { gitDir, exclude } = await store.#locate();
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
      await excludeFromGit(exclude, [`/${REJECTED_FOLDER}/`, '.*.tmp']);
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
    await store.#locate();
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
      diff: before === undefined ? newFileDiff(relPath, content) : await this.#diff(relPath),
    };
  }

  /**
   * Diff of the committed copy (HEAD's, which `#committed` mirrors) and the working copy just
   * written, no object written for it. Hosts changed at about the same time share one git process:
   * the paths asked for until the git queue starts it are diffed together (a night of changes is a
   * process or two, not one per host).
   */
  async #diff(relPath: string): Promise<string> {
    let batch = this.#diffBatch;
    if (!batch || batch.paths.size >= MAX_DIFF_BATCH) {
      const paths = new Set<string>();
      const result = this.#queue.add(async () => {
        await new Promise(setImmediate); // writes finishing now still join this batch
        if (this.#diffBatch?.paths === paths) this.#diffBatch = undefined;
        return this.#diffPaths([...paths]);
      });
      batch = { paths, result };
      this.#diffBatch = batch;
    }
    batch.paths.add(relPath);
    return (await batch.result).get(relPath) ?? '';
  }

  /** One `git diff HEAD` of the working copies of `paths`, split per file. */
  async #diffPaths(paths: readonly string[]): Promise<Map<string, string>> {
    const args = ['diff', '--no-ext-diff', '--no-textconv', '--no-renames', '-U3', 'HEAD', '--', ...paths];
    const { stdout } = await runGit(this.dir, this.#author, args);
    const asked = new Set(paths);
    const diffs = new Map<string, string>();
    for (const section of stdout.split(/^(?=diff --git a\/)/m)) {
      // `diff --git a/PATH b/PATH`: a store path has no space, so the header's halves are its two names.
      const header = section.slice(0, section.indexOf('\n'));
      const file = header.slice('diff --git a/'.length, header.indexOf(' b/'));
      if (asked.has(file) && header === `diff --git a/${file} b/${file}`)
        diffs.set(file, relabelDiff(section, file, false));
    }
    return diffs;
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
   * commit. Then tags the store as the run left it `run/RUN_ID` when the run has an id. Returns
   * the new commit id.
   */
  async commit(run: RunTotals): Promise<string | undefined> {
    const commit = await this.#commitOrExplain(run);
    if (run.runId !== undefined) await this.#tagRun(run.runId, commit);
    return commit;
  }

  async #commitOrExplain(run: RunTotals): Promise<string | undefined> {
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
    // Dated when the run started: the configs are the network as the run found it.
    await this.#git(['commit', '--quiet', `--date=${run.startedAt}`, '--file=-', '--', ...staged], {
      input: message,
    });
    this.#notes.clear();
    this.#carried = [];
    await this.#committedNow(staged);
    return (await this.#git(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /**
   * The tag `run/RUN_ID` on HEAD (`head` when the run just made it): "the network as this run left
   * it", a commit of its own or the one before when nothing changed. Never moves an existing tag
   * (another run's: a warning); no commit yet, no tag.
   */
  async #tagRun(runId: string, head: string | undefined): Promise<void> {
    const tag = runTag(runId);
    const target = head ?? (await this.#head());
    if (target === undefined) return;
    try {
      // The empty old value makes git refuse a tag that already exists...
      await this.#git(['update-ref', '--no-deref', tag, target, '']);
    } catch (error) {
      // ...which is no failure when it is this run's (its store closed twice), and only a warning
      // when another commit holds it: two runs of one job started in the same millisecond, or a
      // clock set back. The commit is made; the first run keeps the name.
      const tagged = await this.#git(['rev-parse', '--quiet', '--verify', `${tag}^{commit}`], {
        okCodes: [0, 1],
      });
      const holder = tagged.stdout.trim();
      if (holder === target) return;
      if (holder !== '') {
        this.#onWarning?.(
          `the run tag ${tag.slice('refs/tags/'.length)} already names commit ${holder.slice(0, 10)}; left as it is (this run's commit is ${target.slice(0, 10)})`,
        );
        return;
      }
      if (!(error instanceof NetopsError)) throw error;
      throw new NetopsError('STORE_FAILED', `cannot tag the run ${runId} in ${this.dir}: ${error.message}`, {
        hint: `The run's commit is made; only its tag ${tag.slice('refs/tags/'.length)} is missing, so \`netops diff --run ${runId}\` cannot find it. Check the repository (git fsck) and its permissions.`,
        cause: error,
      });
    }
  }

  /**
   * The job-resource hook: the runner calls it once when the run ends. Commits and tags, keeps the
   * repository packed, then unlocks.
   */
  async close(run: RunTotals): Promise<void> {
    try {
      await this.commit(run);
      await this.maintain();
    } finally {
      await this.release();
    }
  }

  /**
   * `git gc --auto` after the run's commit, in the foreground so nothing works in the store after
   * the lock is gone. It does work only past the thresholds of `maintenance.ts`; a failure leaves
   * the run's commit and tag as they are and is only reported.
   */
  async maintain(): Promise<void> {
    try {
      await this.#git(['gc', '--auto', '--quiet'], { settings: MAINTENANCE_SETTINGS });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#onWarning?.(`store maintenance (git gc --auto) failed; the run's commit is kept: ${reason}`);
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
      base || this.#emptyTree(),
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
    const blobs = await this.#catFiles(specs);
    return changes.map((_, i) => ({ before: blobs[2 * i], after: blobs[2 * i + 1] }));
  }

  /** The store's files at a commit (`resolve()`), as paths: `configs/r1.cfg`, `facts/r1.json`. */
  async files(commit: string): Promise<string[]> {
    const { stdout } = await this.#git([
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      commit,
      '--',
      ...STORE_FOLDERS,
    ]);
    return stdout.split('\0').filter(Boolean);
  }

  /** Store files as a commit left them (undefined where missing), read by one `git cat-file --batch`. */
  async readAt(commit: string, paths: readonly string[]): Promise<(string | undefined)[]> {
    if (!/^[0-9a-f]{40,64}$/.test(commit)) {
      throw new NetopsError('INTERNAL', `${JSON.stringify(commit)} is not a full commit id`, {
        hint: 'Resolve names with GitStore.resolve() first.',
      });
    }
    return this.#catFiles(paths.map((p) => `${commit}:${checkStorePath(p)}`));
  }

  async #catFiles(specs: readonly string[]): Promise<(string | undefined)[]> {
    if (specs.length === 0) return [];
    const { stdout } = await this.#queue.add(() =>
      runGitBytes(this.dir, this.#author, ['cat-file', '--batch'], { input: `${specs.join('\n')}\n` }),
    );
    return parseCatFileBatch(stdout, specs.length);
  }

  /** The commits that changed `relPath`, newest first, with their runs and line counts. */
  async fileHistory(
    relPath: string,
    options: { readonly since?: Date; readonly maxCount?: number } = {},
  ): Promise<FileChange[]> {
    checkStorePath(relPath);
    if (!(await this.#head())) return [];
    const args = ['log', '--no-renames', `--format=${fileLogFormat(RUN_TRAILER)}`, '--numstat', '--summary'];
    if (options.since) args.push(`--since=${options.since.toISOString()}`);
    if (options.maxCount !== undefined) args.push(`--max-count=${options.maxCount}`);
    return parseFileLog((await this.#git([...args, '--', relPath])).stdout);
  }

  /** The runs tagged in the store, oldest first (run ids begin with their start time). */
  async runs(): Promise<RunRef[]> {
    const { stdout } = await this.#git([
      'for-each-ref',
      '--sort=refname',
      '--format=%(refname)%00%(objectname)',
      RUN_TAGS,
    ]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', commit = ''] = line.split('\0');
        return { id: ref.slice(RUN_TAGS.length), commit };
      });
  }

  /**
   * The commit a user's name for a state of the store stands for (`revisions.ts`). With `job`,
   * `last` and `last~N` count only that job's runs (a restore's runs do not move a backup job's `last`).
   */
  async resolve(name: string, options: { readonly job?: string } = {}): Promise<Revision> {
    if (!(await this.#head())) {
      throw new NetopsError('STORE_FAILED', `the store ${this.dir} has no commits yet`, {
        hint: 'Run a backup job with this store first; each run commits what changed.',
      });
    }
    const commit = await this.#commitOf(parseRevision(name), name, options.job);
    const { stdout } = await this.#git([
      'show',
      '--no-patch',
      `--format=%aI%x1f%(trailers:key=${RUN_TRAILER},valueonly,separator=%x2C)`,
      commit,
    ]);
    const [date = '', runs = ''] = stdout.trim().split('\x1f');
    const runId = runs.split(',')[0]?.trim();
    return { name, commit, date, ...(runId ? { runId } : {}) };
  }

  async #commitOf(spec: RevisionSpec, name: string, job: string | undefined): Promise<string> {
    if (spec.kind === 'last-run') {
      const runs = (await this.runs()).filter((run) => job === undefined || isRunOf(run.id, job));
      const run = runs[runs.length - 1 - spec.back];
      if (run) return run.commit;
      throw unknownRevision(
        name,
        runs.length === 0
          ? `names a run, but no run${job === undefined ? '' : ` of job ${job}`} is tagged in this store yet`
          : `goes back further than the ${runs.length} run(s)${job === undefined ? '' : ` of job ${job}`} tagged in this store`,
      );
    }
    if (spec.kind === 'date') {
      const { stdout } = await this.#git(['rev-list', '-1', `--before=${spec.at.toISOString()}`, 'HEAD']);
      if (stdout.trim()) return stdout.trim();
      throw unknownRevision(name, `is before the first commit of the store ${this.dir}`);
    }
    const [rev, why] =
      spec.kind === 'run'
        ? [`${runTag(spec.id)}^{commit}`, `is not a run of the store ${this.dir} (no tag run/${spec.id})`]
        : [`${spec.rev}^{commit}`, `is not a commit of the store ${this.dir}`];
    const found = await this.#git(['rev-parse', '--quiet', '--verify', '--end-of-options', rev], {
      okCodes: [0, 1, 128],
    });
    if (found.code === 0) return found.stdout.trim();
    throw unknownRevision(name, why);
  }

  /**
   * Unified diff of the store folders (or the given store paths) between two commits; `from`
   * undefined diffs against nothing (every file added). Use commit ids from `resolve()`.
   */
  async diff(
    from: string | undefined,
    to: string,
    paths: readonly string[] = STORE_FOLDERS,
  ): Promise<string> {
    for (const commit of [from, to]) {
      if (commit !== undefined && !/^[0-9a-f]{40,64}$/.test(commit)) {
        throw new NetopsError('INTERNAL', `${JSON.stringify(commit)} is not a full commit id`, {
          hint: 'Resolve names with GitStore.resolve() first.',
        });
      }
    }
    const pathspecs = paths.map((p) =>
      STORE_FOLDERS.includes(p as StoreFolder) ? `${p}/` : checkStorePath(p),
    );
    const { stdout } = await this.#git([
      'diff',
      '--no-ext-diff',
      '--no-textconv',
      '--no-renames',
      '-U3',
      from ?? this.#emptyTree(),
      to,
      '--',
      ...pathspecs,
    ]);
    return stdout;
  }

  /**
   * Lines of the committed configs (HEAD: the last good, sanitized copies) matching `pattern`, a
   * POSIX extended regular expression (`git grep -E`) or a plain string. A bad pattern is refused.
   */
  async grep(pattern: string, options: GrepOptions = {}): Promise<{ commit?: string; matches: GrepMatch[] }> {
    const head = await this.#head();
    if (head === undefined) return { matches: [] };
    const args = ['grep', '-z', '-n', '-I', '--no-color', options.fixed ? '-F' : '-E'];
    if (options.ignoreCase) args.push('-i');
    const result = await this.#git([...args, '-e', pattern, head, '--', 'configs/'], {
      okCodes: [0, 1, 128],
    });
    if (result.code === 128) {
      throw new NetopsError(
        'CONFIG_INVALID',
        `the pattern ${JSON.stringify(pattern)} is not a valid regular expression`,
        {
          hint: 'Patterns are POSIX extended regular expressions (as grep -E): escape ( ) [ ] { } . * + ? | ^ $ \\ to match them literally, or pass --fixed-strings.',
        },
      );
    }
    return { commit: head, matches: parseGrep(result.stdout, head) };
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

  /**
   * After a commit: the blob ids of the files it staged, hashed here from the working copies git
   * just added (a run changes few files; reading the whole tree again would cost O(all hosts)).
   */
  async #committedNow(staged: readonly string[]): Promise<void> {
    for (const file of staged) {
      const bytes = await readFile(path.join(this.dir, file)).catch(() => undefined);
      if (bytes === undefined) this.#committed.delete(file);
      else this.#committed.set(file, blobId(bytes, this.#objectFormat));
    }
  }

  /** Reads the blob ids at HEAD. */
  async #snapshot(): Promise<void> {
    this.#committed = new Map();
    const commit = await this.#head();
    if (commit === undefined) return;
    const { stdout } = await this.#git(['ls-tree', '-r', '-z', commit, '--', ...STORE_FOLDERS]);
    for (const entry of stdout.split('\0').filter(Boolean)) {
      const tab = entry.indexOf('\t');
      const blob = entry.slice(0, tab).split(' ')[2];
      if (blob) this.#committed.set(entry.slice(tab + 1), blob);
    }
  }

  /**
   * The repository's git directory, its `info/exclude` file and its object format (a folder that
   * is not in a repository is refused by git here), asked of one git process.
   */
  async #locate(): Promise<{ gitDir: string; exclude: string }> {
    const { stdout } = await this.#git([
      'rev-parse',
      '--absolute-git-dir',
      '--git-path',
      'info/exclude',
      '--show-object-format',
    ]);
    const [gitDir = '', exclude = '', format = ''] = stdout.split('\n');
    this.#objectFormat = format === 'sha256' ? 'sha256' : 'sha1';
    return { gitDir, exclude: path.resolve(this.dir, exclude) };
  }

  /** git's empty tree in this repository's object format: the base of a diff of files that did not exist. */
  #emptyTree(): string {
    return createHash(this.#objectFormat).update('tree 0\0').digest('hex');
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

/** Rules in `info/exclude`: kept out of history without touching the user's .gitignore. */
async function excludeFromGit(exclude: string, rules: readonly string[]): Promise<void> {
  const current = await readFile(exclude, 'utf8').catch(() => '');
  const lines = current.split('\n');
  const missing = rules.filter((rule) => !lines.includes(rule));
  if (missing.length === 0) return;
  await mkdir(path.dirname(exclude), { recursive: true });
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(exclude, `${separator}${missing.join('\n')}\n`);
}

function storeError(message: string, cause: unknown): NetopsError {
  const reason =
    (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause));
  return new NetopsError('STORE_FAILED', `${message} (${reason})`, {
    hint: 'Check that the store folder exists, is writable by this user and that the disk is not full.',
    cause,
  });
}
