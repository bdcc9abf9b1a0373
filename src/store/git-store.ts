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
 * GitStore only writes: reading past commits (log, diffs, run tags, revisions, grep) is
 * `StoreHistory` (store-history.ts), which takes no lock. The two are the only code that runs git.
 */
import {
  access,
  appendFile,
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import { syncFolder, writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { commitMessage, type RunTotals } from './commit-message.js';
import {
  STORE_AUTHOR,
  blobId,
  headCommit,
  locateRepository,
  runGit,
  type GitAuthor,
  type GitRunOptions,
  type ObjectFormat,
} from './git.js';
import { FamilyPackers, packingFamilies } from './family-packers.js';
import { recoverGitLocks } from './git-locks.js';
import { GC_LOOSE_OBJECTS, MAINTENANCE_SETTINGS, gcMayHaveWork } from './maintenance.js';
import { REJECTED_FOLDER, STORE_FOLDERS, checkStorePath, parseStorePath } from './paths.js';
import { runTag } from './revisions.js';
import { parseStatus } from './status-parse.js';
import { lockStore, type StoreLock } from './store-lock.js';
import { OLD_TEMP_NAME, removeTemporaryFiles, tempFolder } from './temp-files.js';
import { firstCopyWritten, relabelDiff } from './unified-diff.js';

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
  /**
   * Each host's family, whose configs look alike (its platform): a run's new configs are packed by
   * family (family-packers.ts). @default one family
   */
  readonly families?: ReadonlyMap<string, string>;
}

/** A changed file's line in the run's commit message, or what makes it from the copy it replaces. */
export type StoreNote = string | ((previous: string | undefined) => string);

export interface WriteResult {
  /** The content differs from the last committed copy. */
  readonly changed: boolean;
  /**
   * Unified diff against the last committed copy (`--- a/PATH`, `+++ b/PATH`, hunks); empty when
   * unchanged, or when git could not make it (`diffMissing`).
   */
  readonly diff: string;
  /**
   * Why git could not diff the changed copy (a missing object, a git that died): the copy is written
   * and goes into the run's commit all the same, only its diff is missing.
   */
  readonly diffMissing?: string;
  /**
   * The git blob id of the content written when it changed, as the repository hashes it (the write
   * hashed it already: a caller recording it hashes the text no second time).
   */
  readonly blob?: string | undefined;
}

/** Most paths one `git diff` is given: its command line stays far below the system's limit. */
const MAX_DIFF_BATCH = 500;

/** Most files of a commit whose summary names it (`#commit`); a nightly run changes a few. */
const MAX_SUMMARY_FILES = 50;

/**
 * New copies from which a commit packs them before adding them (`#packNewCopies`): as many loose
 * objects as would make the `gc --auto` after the commit pack them anyway.
 */
const PACK_NEW_COPIES = GC_LOOSE_OBJECTS;

/** The run's commit (none when nothing changed), and whether the run's tag was made with it. */
interface Made {
  readonly commit: string | undefined;
  readonly tagged: boolean;
}

const NOTHING_MADE: Made = { commit: undefined, tagged: false };

/**
 * What a commit will hold (`GitStore#staged`): the store's staged files, the index copy to commit
 * (none when the user's own work is staged), and for a plumbing commit its tree.
 */
interface Staged {
  readonly staged: string[];
  readonly index?: string;
  readonly tree?: string | undefined;
}

/** The hooks `git commit` runs: with any of them, the store commits through it. */
const COMMIT_HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit'];

/** Files read at once while streaming them into `git fast-import`. */
const READ_AHEAD = 16;

export class GitStore {
  readonly dir: string;
  readonly #author: GitAuthor;
  readonly #queue: PQueue;
  /** Blob id per path at HEAD, read at open and after each commit. */
  #committed = new Map<string, string>();
  /**
   * Paths whose working copy may differ from HEAD: what `git status` listed at open (a run that died
   * before its commit) and what this run wrote changed. Every other working copy is HEAD's.
   */
  readonly #unlike = new Set<string>();
  /**
   * Paths of `#unlike` whose working copy this run found or put back to HEAD's: their index entry
   * may still hold another copy (a run killed after its `update-index`, a user's `git add`), which
   * the commit would take for the store's unless it is staged again from the working copy.
   */
  readonly #restage = new Set<string>();
  /** Blob id per path written changed in this run: what HEAD holds for it once committed. */
  readonly #written = new Map<string, string>();
  /** Notes per path written with a change in this run, in write order. */
  readonly #notes = new Map<string, string | undefined>();
  #carried: string[] = [];
  /** Packs the changed copies as they are written, once a run has written many (`#pack`). */
  #packers: FamilyPackers | undefined;
  /** The packing family of a host's config (`GitStoreOptions.families`, the small ones merged). */
  #familyOf: (host: string) => string = () => '';
  /** Paths whose copy as last written went to the packer. */
  readonly #packed = new Set<string>();
  #objectFormat: ObjectFormat = 'sha1';
  /** HEAD named a commit when the store was opened, or a commit was made since. */
  #born = false;
  /** The commit HEAD names, read under the lock at open and moved by each commit: the next one's parent. */
  #headCommit: string | undefined;
  #lock: StoreLock | undefined;
  #tempDir = '';
  #gitDir = '';
  #objectsDir = '';
  #hooksDir = '';
  /** The repository's index as it was when the commit's copy of it was taken. */
  #indexCopiedFrom: Stats | undefined;
  /**
   * Folders being made or made (with the temp folder), so a write does not mkdir each time: the
   * promise, since the hundred sessions of a first run write their first copies all at once.
   */
  readonly #madeFolders = new Map<string, Promise<void>>();
  /** Folders files were renamed into since the last commit, synced once each before it. */
  readonly #unsyncedFolders = new Set<string>();
  #onWarning: ((message: string) => void) | undefined;
  /** Changed paths waiting for their diff: the next git process diffs all of them at once. */
  #diffBatch: { readonly paths: Set<string>; readonly result: Promise<Map<string, string>> } | undefined;
  /** Changed copies being written now: their diffs will join the waiting batch. */
  #changedWrites = 0;
  readonly #diffWaiters: (() => void)[] = [];

  private constructor(dir: string, author: GitAuthor, concurrency: number) {
    this.dir = dir;
    this.#author = author;
    this.#queue = new PQueue({ concurrency });
  }

  static async open(options: GitStoreOptions): Promise<GitStore> {
    const dir = path.resolve(options.dir);
    const store = new GitStore(dir, options.author ?? STORE_AUTHOR, options.gitConcurrency ?? 4);
    store.#onWarning = options.onWarning;
    if (options.families) store.#familyOf = packingFamilies(options.families);
    const created = await store.#prepareRepository();
    // One git process before the lock: where the repository is, and whether HEAD names a commit.
    const { gitDir, exclude, head } = await store.#locate();
    store.#born = head !== undefined;
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
      store.#gitDir = gitDir;
      store.#tempDir = tempFolder(gitDir);
      await removeTemporaryFiles(dir, gitDir);
      await excludeFromGit(exclude, [`/${REJECTED_FOLDER}/`, '.*.tmp']);
      // A repository this open made in an empty folder that still holds nothing but it has nothing
      // for `git status` to list (no store folder) and no commit to read: a first run starts no git
      // for them.
      if (created && (await onlyGitIn(dir))) return store;
      // Both read the whole store folders: side by side, each in its own git process. HEAD is read
      // here, under the lock: a run that committed between the look before the lock and the lock is
      // seen.
      const [leftover] = await Promise.all([
        // It may write back the file data it refreshed (taking `index.lock` a moment): a store copied
        // or restored with new file times is hashed whole once, not at every open.
        store.#git(
          [
            'status',
            '--porcelain=v2',
            '--branch',
            '--no-ahead-behind',
            '-z',
            '--no-renames',
            '--untracked-files=all',
            '--',
            ...STORE_FOLDERS,
          ],
          { optionalLocks: true },
        ),
        store.#snapshot(head !== undefined),
      ]);
      const { head: headNow, paths: listed } = parseStatus(leftover.stdout);
      store.#headCommit = headNow;
      for (const file of listed) store.#unlike.add(file);
      // Removed leftovers of old temp files leave history with this commit; they carry nothing over.
      store.#carried = listed.filter((file) => !OLD_TEMP_NAME.test(path.basename(file)));
      return store;
    } catch (error) {
      await store.release();
      throw damagedIndex(error, dir, gitDir) ?? error;
    }
  }

  /** Lets go of the store lock without committing (the store may not be used afterwards). */
  async release(): Promise<void> {
    // No git may work in the store once its lock is gone: the pack of this run's copies is finished.
    await this.#packers?.finish();
    this.#packers = undefined;
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }

  /** The working-tree copy (the last good one), or undefined when the host has none yet. */
  async read(relPath: string): Promise<string | undefined> {
    const file = path.join(this.dir, checkStorePath(relPath));
    if (this.#absent(relPath)) return undefined;
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`cannot read ${relPath} in the store ${this.dir}`, error);
    }
  }

  /**
   * The size in bytes of the last good copy, or undefined when the host has none yet: what a shrink
   * check needs, without reading the copy. The working-tree copy's, or HEAD's when that one was
   * deleted by hand: the last committed copy still guards the host.
   */
  async size(relPath: string): Promise<number | undefined> {
    const file = path.join(this.dir, checkStorePath(relPath));
    if (this.#absent(relPath)) return undefined;
    try {
      return (await stat(file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw storeError(`cannot read ${relPath} in the store ${this.dir}`, error);
    }
    // One git process, for a deleted working copy only: every other host costs a stat.
    const committed = this.#committed.get(relPath);
    if (committed === undefined) return undefined;
    return Number((await this.#git(['cat-file', '-s', committed])).stdout.trim());
  }

  /**
   * The blob id of the copy of `relPath` that HEAD holds, when the working copy is known to be that
   * copy: neither `git status` at open (an interrupted run's write, a hand edit) nor this run's
   * writes made it differ. What a record of the backup that stored it can vouch for (save.ts).
   */
  committedBlob(relPath: string): string | undefined {
    return this.#unlike.has(relPath) ? undefined : this.#committed.get(relPath);
  }

  /**
   * The path has no working copy, known without asking the file system: HEAD does not hold it and
   * neither `git status` at open (which lists every file of the store folders that differs from
   * HEAD, untracked ones included) nor this run's writes made it differ. A first run's hosts: a
   * failed stat or read builds an ENOENT error (its message and stack) for each.
   */
  #absent(relPath: string): boolean {
    return !this.#committed.has(relPath) && !this.#unlike.has(relPath);
  }

  /**
   * Stores `content` (already prepared) atomically. `note` becomes a line of the run's commit
   * message when the file changed; given as a function, it hears the copy being replaced (read only
   * then). Safe to call for many hosts at once.
   */
  async write(relPath: string, content: string, note?: StoreNote): Promise<WriteResult> {
    const file = path.join(this.dir, checkStorePath(relPath));
    const before = this.#committed.get(relPath);
    // Hashed in-process: an unchanged config, the common case, costs no git process, and no file
    // read or write either unless its working copy may differ from HEAD.
    const blob = blobId(content, this.#objectFormat);
    if (blob === before) {
      // Unchanged: only repair a working copy an interrupted run (or this one) left different.
      if (this.#unlike.has(relPath)) {
        if ((await this.read(relPath)) !== content) await this.#writeFile(file, content);
        this.#restage.add(relPath);
      }
      this.#unlike.delete(relPath);
      this.#written.delete(relPath);
      this.#notes.delete(relPath);
      return { changed: false, diff: '' };
    }
    const absent = this.#absent(relPath);
    this.#unlike.add(relPath);
    this.#written.set(relPath, blob);
    this.#changedWrites += 1;
    let line: string | undefined;
    try {
      line = typeof note === 'function' ? note(absent ? undefined : await this.read(relPath)) : note;
      // UTF-8 once, for the file and for git's pack.
      const bytes = Buffer.from(content, 'utf8');
      await this.#writeFile(file, bytes);
      this.#pack(relPath, bytes);
    } finally {
      this.#changedWrites -= 1;
      if (this.#changedWrites === 0) this.#startDiffs();
    }
    this.#notes.set(relPath, line);
    if (before === undefined) return firstCopyWritten(relPath, content, blob);
    try {
      return { changed: true, diff: await this.#diff(relPath), blob };
    } catch (error) {
      // The copy is written and noted for the commit: failing the write now would report a stored
      // config as a failure.
      const reason = error instanceof Error ? error.message : String(error);
      return { changed: true, diff: '', blob, diffMissing: reason };
    }
  }

  /**
   * Diff of the committed copy (HEAD's, which `#committed` mirrors) and the working copy just
   * written, no object written for it. Hosts changed at about the same time share one git process:
   * a batch starts when no other changed copy is being written (those join it) or when it is full,
   * so the changed hosts of a run written at once are one process, not one each.
   */
  async #diff(relPath: string): Promise<string> {
    let batch = this.#diffBatch;
    if (!batch || batch.paths.size >= MAX_DIFF_BATCH) {
      const paths = new Set<string>();
      const result = this.#queue.add(async () => {
        await new Promise(setImmediate); // writes finishing now still join this batch
        while (this.#changedWrites > 0 && paths.size < MAX_DIFF_BATCH) {
          await new Promise<void>((resolve) => this.#diffWaiters.push(resolve));
        }
        if (this.#diffBatch?.paths === paths) this.#diffBatch = undefined;
        return this.#diffPaths([...paths]);
      });
      batch = { paths, result };
      this.#diffBatch = batch;
    }
    batch.paths.add(relPath);
    if (batch.paths.size >= MAX_DIFF_BATCH) this.#startDiffs();
    return (await batch.result).get(relPath) ?? '';
  }

  /** Wakes the batches waiting for the changed copies being written. */
  #startDiffs(): void {
    const waiting = this.#diffWaiters.splice(0);
    for (const wake of waiting) wake();
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
   * inspect; the last good copy stays the current one. Returns where it went, relative to the store.
   */
  async keepAside(relPath: string, content: string, reason: string): Promise<string> {
    const aside = `${REJECTED_FOLDER}/${checkStorePath(relPath)}`;
    const file = path.join(this.dir, aside);
    await this.#writeFile(file, content);
    await this.#writeFile(`${file}.reason`, `${new Date().toISOString()} ${reason}\n`);
    await this.#restoreDeleted(relPath);
    return aside;
  }

  /**
   * HEAD's copy put back when the working copy was deleted by hand: else the run's commit would record
   * the deletion, and the host whose new config was refused would lose its last good copy (and the
   * shrink guard of its next backup with it). Costs a stat, and a git process only in that case.
   */
  async #restoreDeleted(relPath: string): Promise<void> {
    const committed = this.#committed.get(relPath);
    if (committed === undefined || !this.#unlike.has(relPath)) return;
    const file = path.join(this.dir, relPath);
    if ((await stat(file).catch(() => undefined)) !== undefined) return;
    const { stdout } = await this.#git(['cat-file', 'blob', committed]);
    await this.#writeFile(file, stdout);
    this.#unlike.delete(relPath);
    // A `git rm` took it out of the index too: staged again from the copy put back.
    this.#restage.add(relPath);
  }

  /**
   * Commits everything the run changed in the store folders as one commit; nothing changed, no
   * commit. Then tags the store as the run left it `run/RUN_ID` when the run has an id. Returns
   * the new commit id.
   */
  async commit(run: RunTotals): Promise<string | undefined> {
    const { commit, tagged } = await this.#commitOrExplain(run);
    if (run.runId !== undefined && !tagged) await this.#tagRun(run.runId, commit);
    return commit;
  }

  async #commitOrExplain(run: RunTotals): Promise<Made> {
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

  async #commit(run: RunTotals): Promise<Made> {
    await this.#syncFolders();
    // Only what may differ from HEAD is staged: a run that changed nothing starts no git process
    // here, and one that changed a few never stats every copy of the store.
    const paths = [...this.#unlike];
    if (paths.length + this.#restage.size === 0) return NOTHING_MADE;
    await this.#packNewCopies(paths);
    // As `git add --all` of each: added, updated, or removed when gone from the working tree.
    const [hooked] = await Promise.all([
      this.#commitHooks(),
      this.#git(['update-index', '--add', '--remove', '-z', '--stdin'], {
        input: `${[...new Set([...paths, ...this.#restage])].join('\0')}\0`,
      }),
    ]);
    this.#restage.clear();
    const { staged, index, tree } = await this.#staged(!hooked);
    if (staged.length === 0) {
      await this.#dropIndexCopy();
      return NOTHING_MADE;
    }
    const inCommit = new Set(staged);
    const notes = [...this.#notes]
      .filter(([file, note]) => note !== undefined && inCommit.has(file))
      .map(([, note]) => note as string);
    const carried = this.#carried.filter((file) => inCommit.has(file) && !this.#notes.has(file));
    const message = commitMessage(run, { notes, carried });
    const made = await (
      index && tree !== undefined
        ? this.#commitTree(message, run, tree, this.#headCommit)
        : this.#porcelainCommit(message, run.startedAt, staged, index).then((commit) => ({
            commit,
            tagged: false,
          }))
    ).catch(async (error: unknown) => {
      await this.#dropIndexCopy();
      throw error;
    });
    this.#born = true;
    this.#headCommit = made.commit;
    if (index) await this.#adoptIndexCopy(index);
    this.#notes.clear();
    this.#carried = [];
    await this.#committedNow(staged);
    return made;
  }

  /**
   * The commit of the index copy as plumbing: its tree (`write-tree`, which reuses the trees of
   * every folder the run did not touch), the commit and HEAD moved from the commit it read. `git
   * commit` would also refresh the file data of every entry (an lstat of each copy of the store:
   * 41-62 ms at 10,000 hosts against 13-15 at 10), which nothing here needs: `git update-index`
   * recorded it for the copies this run staged, and the open's `git status` refreshes the others.
   * HEAD and the run's tag move in one transaction.
   */
  async #commitTree(
    message: string,
    run: RunTotals,
    tree: string,
    parent: string | undefined,
  ): Promise<Made> {
    const parents = parent === undefined ? [] : ['-p', parent];
    // Dated when the run started, like `git commit --date`: the configs are the network as the run found it.
    const made = await this.#git(['commit-tree', tree, ...parents], {
      input: message,
      authorDate: run.startedAt,
    });
    const commit = made.stdout.trim();
    // The old value makes git refuse to move HEAD if anything else did since (no commit is lost);
    // the reflog line is `git commit`'s.
    const moveHead = parent === undefined ? `create HEAD ${commit}` : `update HEAD ${commit} ${parent}`;
    const subject = message.slice(0, message.indexOf('\n'));
    const moveRefs = (lines: string) =>
      this.#git(
        ['update-ref', '-m', `commit${parent === undefined ? ' (initial)' : ''}: ${subject}`, '--stdin'],
        {
          input: lines,
        },
      );
    if (run.runId !== undefined) {
      // `create` refuses a tag that exists, and with it the whole transaction...
      const tagged = await moveRefs(`${moveHead}\ncreate ${runTag(run.runId)} ${commit}\n`).then(
        () => true,
        () => false,
      );
      if (tagged) return { commit, tagged };
    }
    // ...which `#tagRun` then explains, once HEAD has moved alone.
    await moveRefs(`${moveHead}\n`);
    return { commit, tagged: false };
  }

  /**
   * `git commit`, for a store whose commit hooks must run or whose index holds a user's staged work
   * (then only the store's `staged` files are committed, from HEAD's tree, not the index copy).
   */
  async #porcelainCommit(
    message: string,
    startedAt: string,
    staged: readonly string[],
    index: string | undefined,
  ): Promise<string> {
    // A commit of a few files prints its summary, whose first line (`[main 1f2e...] subject`, the
    // id whole with core.abbrev=no) names it: no second git process asks for HEAD. A large one
    // stays quiet: its summary's diffstat would read every file it holds, dearer than that process.
    const summary = staged.length <= MAX_SUMMARY_FILES;
    const made = await this.#git(
      [
        'commit',
        ...(summary ? [] : ['--quiet']),
        `--date=${startedAt}`,
        '--file=-',
        ...(index ? [] : ['--', ...staged]),
      ],
      { input: message, settings: ['core.abbrev=no'], ...(index ? { indexFile: index } : {}) },
    );
    const named = /^\[[^\]\n]* ([0-9a-f]{40}|[0-9a-f]{64})\] /.exec(made.stdout)?.[1];
    return named ?? (await this.#git(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /** git would run a hook of `git commit` in this store (an executable file of that name in its hooks folder). */
  async #commitHooks(): Promise<boolean> {
    const found = await Promise.all(
      COMMIT_HOOKS.map((hook) =>
        access(path.join(this.#hooksDir, hook), constants.X_OK).then(
          () => true,
          () => false,
        ),
      ),
    );
    return found.includes(true);
  }

  /**
   * What the commit will hold: the store folders' staged files. It commits a copy of the index taken
   * now, whole, when nothing else is staged in it: `git commit -- PATHS` would hash every named file
   * again (10,000 new configs: 10 s) to build its own index, and the copy keeps out whatever a user
   * stages while the commit runs. With the user's own work staged, the commit names its paths.
   * `plumbing`: the commit will be `#commitTree`'s, whose tree is written beside the diff
   * (a tree written for nothing, when the user's work is staged, is left to gc).
   */
  async #staged(plumbing: boolean): Promise<Staged> {
    const index = path.join(this.#tempDir, 'index');
    await mkdir(this.#tempDir, { recursive: true });
    try {
      this.#indexCopiedFrom = await stat(path.join(this.#gitDir, 'index'));
      await copyFile(path.join(this.#gitDir, 'index'), index);
    } catch (error) {
      // No index yet: nothing was ever staged in this repository.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { staged: [] };
      throw storeError(`cannot copy the index of the store ${this.dir}`, error);
    }
    const [diff, tree] = await Promise.all([
      this.#git(['diff', '--cached', '--name-only', '-z', '--no-renames'], { indexFile: index }),
      plumbing ? this.#git(['write-tree'], { indexFile: index }) : undefined,
    ]);
    const everything = diff.stdout.split('\0').filter(Boolean);
    const staged = everything.filter((file) => STORE_FOLDERS.some((folder) => file.startsWith(`${folder}/`)));
    if (staged.length === everything.length) return { staged, index, tree: tree?.stdout.trim() };
    await this.#dropIndexCopy();
    return { staged };
  }

  async #dropIndexCopy(): Promise<void> {
    await rm(path.join(this.#tempDir, 'index'), { force: true });
  }

  /**
   * After the commit, the copy it committed from becomes the repository's index when no one wrote
   * the index since it was copied, under git's own lock (`index.lock`, refused while a git holds it).
   * The real index already holds the run's entries (`update-index` ran on it before the copy was
   * taken); the copy adds what committing it wrote: the trees `write-tree` cached, which the next
   * commit's `write-tree` and `git status` reuse, or `git commit`'s refreshed file data.
   */
  async #adoptIndexCopy(copy: string): Promise<void> {
    const real = path.join(this.#gitDir, 'index');
    const lock = `${real}.lock`;
    const taken = await writeFile(lock, '', { flag: 'wx' }).then(
      () => true,
      () => false,
    );
    try {
      const now = taken ? await stat(real) : undefined;
      const was = this.#indexCopiedFrom;
      if (now && was && now.ino === was.ino && now.mtimeMs === was.mtimeMs && now.size === was.size) {
        await rename(copy, lock);
        await rename(lock, real);
        return;
      }
    } catch {
      // The index stays as it was: only slower to check, never wrong.
    }
    if (taken) await rm(lock, { force: true });
    await this.#dropIndexCopy();
  }

  /**
   * Each changed copy is offered to the run's packers (`FamilyPackers`) as it is written. They hold
   * the first ones; once the run has written many (a first run, a fleet-wide change), they start a
   * `git fast-import` per family, which packs those and each further one while the sessions go on,
   * and the commit reads back only the copies git, behind, did not take (`#packNewCopies`).
   */
  #pack(relPath: string, content: Buffer): void {
    this.#packers ??= this.#newPackers();
    if (!this.#packers.started && this.#written.size >= PACK_NEW_COPIES) this.#packers.start();
    if (this.#packers.offer(this.#family(relPath), content)) this.#packed.add(relPath);
    // Not taken (git is behind) or written again later: the commit reads the copy back.
    else this.#packed.delete(relPath);
  }

  #newPackers(): FamilyPackers {
    // Beside the queue: they work for the rest of the run, while diffs and the commit take their turns.
    return new FamilyPackers((input) =>
      runGit(this.dir, this.#author, ['fast-import', '--quiet'], { input }),
    );
  }

  /**
   * The packers' family of a path: a config's is its host's family; facts, alike whatever the
   * platform, share one; a file of the user's in the store folders (listed by `git status` at open)
   * goes with the configs of no family.
   */
  #family(relPath: string): string {
    const parts = parseStorePath(relPath);
    if (parts === undefined) return 'configs/';
    return parts.folder === 'configs' ? `configs/${this.#familyOf(parts.host)}` : parts.folder;
  }

  /**
   * Many new copies go into the object database as packs (`git fast-import`, one per family) before
   * `git add` hashes them: add then finds every object already stored and writes none. Added one by
   * one they would be as many loose files, each compressed and written alone, then read again and
   * packed by the `gc --auto` after the commit. A few stay loose: packers never started drop what
   * they held, and fast-import writes a stream of 100 objects or fewer as loose ones (a family a
   * run changed little of). The copies the packers did not take are read here.
   */
  async #packNewCopies(files: readonly string[]): Promise<void> {
    const packers = this.#packers ?? this.#newPackers();
    this.#packers = undefined;
    try {
      if (!packers.started && files.length < PACK_NEW_COPIES) return;
      packers.start();
      for await (const { file, bytes } of this.#readCopies(files.filter((f) => !this.#packed.has(f))))
        await packers.add(this.#family(file), bytes);
    } finally {
      // A failed pack only costs time: update-index stores what is missing (and says why it cannot).
      await packers.finish();
      this.#packed.clear();
    }
  }

  /**
   * The files with their bytes, in order; a file gone is skipped. The next files are read while git
   * takes one: each read waits for the file system's thread pool, and one at a time git would wait
   * for every one of them.
   */
  async *#readCopies(files: readonly string[]): AsyncGenerator<{ file: string; bytes: Buffer }> {
    // A failed read waits as a value for its turn: a rejection nobody awaits yet would end the process.
    const read = (file: string) =>
      readFile(path.join(this.dir, file)).then(
        (bytes) => ({ file, bytes }),
        (error: NodeJS.ErrnoException) => ({ file, error }),
      );
    const ahead = files.slice(0, READ_AHEAD).map(read);
    for (let next = READ_AHEAD; ahead.length > 0; next++) {
      const result = await (ahead.shift() as ReturnType<typeof read>);
      if (next < files.length) ahead.push(read(files[next] as string));
      if ('error' in result) {
        if (result.error.code === 'ENOENT') continue;
        throw storeError(`cannot read ${result.file} in the store ${this.dir}`, result.error);
      }
      yield result;
    }
  }

  /**
   * The tag `run/RUN_ID` on HEAD (`head` when the run just made it): "the network as this run left
   * it", a commit of its own or the one before when nothing changed. Never moves an existing tag
   * (another run's: a warning); no commit yet, no tag.
   */
  async #tagRun(runId: string, head: string | undefined): Promise<void> {
    const tag = runTag(runId);
    // A run that made no commit tags HEAD, which git resolves itself when the store had a commit
    // when it was opened (no `rev-parse HEAD` of its own: an unchanged run's end is this one process).
    const target = head ?? (this.#born ? 'HEAD' : await this.#head());
    if (target === undefined) return;
    try {
      // The empty old value makes git refuse a tag that already exists...
      await this.#git(['update-ref', '--no-deref', tag, target, '']);
    } catch (error) {
      // ...which is no failure when it is this run's (its store closed twice), and only a warning
      // when another commit holds it: two runs of one job started in the same millisecond, or a
      // clock set back. The commit is made; the first run keeps the name.
      const commit = target === 'HEAD' ? await this.#head() : target;
      // HEAD names no commit any more (its branch deleted by hand during the run): no tag, as before.
      if (commit === undefined) return;
      const tagged = await this.#git(['rev-parse', '--quiet', '--verify', `${tag}^{commit}`], {
        okCodes: [0, 1],
      });
      const holder = tagged.stdout.trim();
      if (holder === commit) return;
      if (holder !== '') {
        this.#onWarning?.(
          `the run tag ${tag.slice('refs/tags/'.length)} already names commit ${holder.slice(0, 10)}; left as it is (this run's commit is ${commit.slice(0, 10)})`,
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
      if (!(await gcMayHaveWork(this.#objectsDir))) return;
      await this.#git(['gc', '--auto', '--quiet'], { settings: MAINTENANCE_SETTINGS });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#onWarning?.(`store maintenance (git gc --auto) failed; the run's commit is kept: ${reason}`);
    }
  }

  /** Makes a repository of a missing or empty folder (true when it did), refuses any other non-repository. */
  async #prepareRepository(): Promise<boolean> {
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
      return true;
    }
    return false;
  }

  /**
   * After a commit: the blob ids of the files it staged, known from this run's writes, hashed here
   * from the working copies git just added for the others (left over from before the run): reading
   * the whole tree again would cost O(all hosts), and every written copy again 1-2 s a first run.
   */
  async #committedNow(staged: readonly string[]): Promise<void> {
    for (const file of staged) {
      const written = this.#written.get(file);
      const bytes = written ? undefined : await readFile(path.join(this.dir, file)).catch(() => undefined);
      if (written) this.#committed.set(file, written);
      else if (bytes === undefined) this.#committed.delete(file);
      else this.#committed.set(file, blobId(bytes, this.#objectFormat));
      this.#unlike.delete(file);
    }
    this.#written.clear();
  }

  /**
   * Reads the blob ids at HEAD (none in a repository without commits). `born`: HEAD named a commit
   * before the lock was taken, so it still does (only a branch deleted by hand takes it back), and
   * one git process resolves and lists it; else HEAD is asked first.
   */
  async #snapshot(born: boolean): Promise<void> {
    this.#committed = new Map();
    const list = (commit: string) => this.#git(['ls-tree', '-r', '-z', commit, '--', ...STORE_FOLDERS]);
    const { stdout } = born
      ? await list('HEAD').catch(async (error: unknown) => {
          if ((await this.#head()) === undefined) return { stdout: '' };
          throw error;
        })
      : await this.#head().then((commit) => (commit === undefined ? { stdout: '' } : list(commit)));
    // `MODE TYPE ID<TAB>PATH<NUL>` per file, read in place: no array or string per field for the
    // thousands of entries of a large store.
    const idLength = this.#objectFormat === 'sha256' ? 64 : 40;
    for (let at = 0; at < stdout.length;) {
      const tab = stdout.indexOf('\t', at);
      const end = stdout.indexOf('\0', tab);
      if (tab < 0 || end < 0) break;
      this.#committed.set(stdout.slice(tab + 1, end), stdout.slice(tab - idLength, tab));
      at = end + 1;
    }
  }

  /** Locates the repository (`locateRepository`) and keeps its object format for blob ids. */
  async #locate(): Promise<{ gitDir: string; exclude: string; head: string | undefined }> {
    const location = await locateRepository((args, options) => this.#git(args, options), this.dir);
    this.#objectFormat = location.objectFormat;
    this.#objectsDir = location.objects;
    this.#hooksDir = location.hooks;
    return location;
  }

  #head(): Promise<string | undefined> {
    return headCommit((args, options) => this.#git(args, options));
  }

  async #writeFile(file: string, content: string | Uint8Array): Promise<void> {
    const folder = path.dirname(file);
    try {
      let made = this.#madeFolders.get(folder);
      if (!made) {
        made = makeFolders(folder, this.#tempDir);
        this.#madeFolders.set(folder, made);
        // A failed mkdir is tried again by the next write (and reported by this one).
        made.catch(() => this.#madeFolders.delete(folder));
      }
      await made;
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

/** The folder holds nothing but `.git`. */
async function onlyGitIn(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => undefined);
  return entries !== undefined && entries.every((name) => name === '.git');
}

/** A store folder (owner only: see `#writeFile`) and the temp folder its writes go through. */
async function makeFolders(folder: string, tempDir: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await mkdir(tempDir, { recursive: true });
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

/**
 * git's refusal of an index it cannot read (a power loss can leave it empty or cut: git writes it
 * without fsync), made a failure that says how to rebuild it: every run would stop on it otherwise.
 */
function damagedIndex(error: unknown, dir: string, gitDir: string): NetopsError | undefined {
  if (!(error instanceof NetopsError) || !/index file (?:smaller than expected|corrupt)/.test(error.message))
    return undefined;
  const index = path.join(gitDir, 'index');
  return new NetopsError(
    'STORE_FAILED',
    `git's index of the store ${dir} (${index}) is damaged: ${error.message}`,
    {
      hint: `The index is git's cache of the working tree, not a backup: move it aside (\`mv ${JSON.stringify(index)} ${JSON.stringify(`${index}.damaged`)}\`) and rebuild it from the last commit (\`git -C ${JSON.stringify(dir)} reset --quiet\`). No commit and no stored config is lost; the next run commits what the working tree holds beyond the last commit. Work of your own that was staged must be staged again.`,
      cause: error,
      ...(error.details ? { details: error.details } : {}),
    },
  );
}

function storeError(message: string, cause: unknown): NetopsError {
  const reason =
    (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause));
  return new NetopsError('STORE_FAILED', `${message} (${reason})`, {
    hint: 'Check that the store folder exists, is writable by this user and that the disk is not full.',
    cause,
  });
}
