/**
 * Reading the store's history: commits, a file's changes, run tags, the names users give states of
 * the store (`revisions.ts`), diffs between commits, files as a commit left them and grep at HEAD.
 * A reader takes no lock and writes nothing, so reports and the history commands work beside a
 * running backup; `GitStore` (git-store.ts) is the store's only writer.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import { NetopsError } from '../core/errors.js';
import { RUN_TRAILER } from './commit-message.js';
import {
  STORE_AUTHOR,
  headCommit,
  locateRepository,
  parseCatFileBatch,
  runGit,
  runGitBytes,
  type GitRunOptions,
  type ObjectFormat,
  type StoreGit,
} from './git.js';
import { fileLogFormat, parseFileLog, parseGrep, type FileChange, type GrepMatch } from './history-parse.js';
import { STORE_FOLDERS, checkStorePath, type StoreFolder } from './paths.js';
import { RUN_TAGS, isRunOf, parseRevision, runTag, unknownRevision, type RevisionSpec } from './revisions.js';
import { relabelDiff } from './unified-diff.js';

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

/** A state of the store a user named (`StoreHistory.resolve`). */
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

export class StoreHistory {
  readonly dir: string;
  /** One git process at a time: a reader serves one command or report. */
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #objectFormat: ObjectFormat;

  private constructor(dir: string, objectFormat: ObjectFormat) {
    this.dir = dir;
    this.#objectFormat = objectFormat;
  }

  /**
   * Opens an existing store to read its history, beside any run that holds the store lock: takes
   * no lock, repairs and creates nothing. A folder that is not in a git repository is refused.
   */
  static async open(dir: string): Promise<StoreHistory> {
    const resolved = path.resolve(dir);
    const info = await stat(resolved).catch((error: unknown) => {
      const reason =
        (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new NetopsError('STORE_FAILED', `cannot open the store ${resolved} (${reason})`, {
        hint: 'Check that the store folder exists and is readable by this user.',
        cause: error,
      });
    });
    if (!info.isDirectory()) {
      throw new NetopsError('STORE_FAILED', `the store ${resolved} is not a folder`, {
        hint: 'Point at the store folder: the git repository holding configs/ and facts/.',
      });
    }
    const git: StoreGit = (args, options) => runGit(resolved, STORE_AUTHOR, args, options);
    const { objectFormat } = await locateRepository(git, resolved);
    return new StoreHistory(resolved, objectFormat);
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
        hint: 'Resolve names with StoreHistory.resolve() first.',
      });
    }
    return this.#catFiles(paths.map((p) => `${commit}:${checkStorePath(p)}`));
  }

  async #catFiles(specs: readonly string[]): Promise<(string | undefined)[]> {
    if (specs.length === 0) return [];
    const { stdout } = await this.#queue.add(() =>
      runGitBytes(this.dir, STORE_AUTHOR, ['cat-file', '--batch'], { input: `${specs.join('\n')}\n` }),
    );
    const texts = parseCatFileBatch(stdout, specs.length);
    await this.#checkAbsent(specs.filter((_, i) => texts[i] === undefined));
    return texts;
  }

  /**
   * `cat-file` answers `missing` alike for a file its commit does not hold and for one whose object
   * the repository lacks (a damaged store): the commit's tree tells them apart, one `ls-tree` per
   * commit with such answers (only then). A lacking object fails: shown as a file that was not there,
   * it made a restore say the host was backed up later, and the facts report say facts were removed.
   */
  async #checkAbsent(specs: readonly string[]): Promise<void> {
    const byCommit = new Map<string, string[]>();
    for (const spec of specs) {
      const at = spec.indexOf(':');
      const commit = spec.slice(0, at);
      byCommit.set(commit, [...(byCommit.get(commit) ?? []), spec.slice(at + 1)]);
    }
    for (const [commit, files] of byCommit) {
      // 128: no such commit (the parent of the first one), so no such file.
      const { stdout } = await this.#git(['ls-tree', '-z', commit, '--', ...files], { okCodes: [0, 128] });
      const entry = stdout.split('\0').find(Boolean);
      if (entry === undefined) continue;
      const [info = '', file = ''] = entry.split('\t');
      const object = info.split(' ')[2] ?? '';
      throw new NetopsError(
        'STORE_FAILED',
        `the store ${this.dir} is damaged: commit ${commit} holds ${file}, but the repository lacks its object ${object}`,
        {
          hint: `Run \`git -C ${JSON.stringify(this.dir)} fsck\` to list what is missing, and bring it back from a backup or a clone of the store (\`git fetch\` from it); until then this history cannot be read whole.`,
          details: { commit, file, object },
        },
      );
    }
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
          hint: 'Resolve names with StoreHistory.resolve() first.',
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

  /** git's empty tree in this repository's object format: the base of a diff of files that did not exist. */
  #emptyTree(): string {
    return createHash(this.#objectFormat).update('tree 0\0').digest('hex');
  }

  #head(): Promise<string | undefined> {
    return headCommit((args, options) => this.#git(args, options));
  }

  #git(args: readonly string[], options?: GitRunOptions) {
    return this.#queue.add(() => runGit(this.dir, STORE_AUTHOR, args, options));
  }
}
