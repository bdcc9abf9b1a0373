/**
 * Reading what git prints for the history commands: a file's log with line counts, a diff split
 * per file, and `git grep` matches. Pure functions over git's output (fixed formats, `-z` where
 * paths are printed), so the parsing is tested without a repository.
 */

/** One commit that changed a file. */
export interface FileChange {
  readonly commit: string;
  /** Author date, ISO 8601 with offset. */
  readonly date: string;
  readonly subject: string;
  /** The run that made the commit (its `Netops-Run` trailer); absent on commits made before run ids. */
  readonly runId?: string;
  /** `added` for the first copy, `removed` when the file went, else `changed`. */
  readonly kind: 'added' | 'changed' | 'removed';
  /** Lines added and removed in the file by this commit. */
  readonly added: number;
  readonly removed: number;
}

/** The log format `parseFileLog` reads: `--format=` this, with `--numstat --summary`. */
export function fileLogFormat(trailer: string): string {
  return `%x1e%H%x1f%aI%x1f%s%x1f%(trailers:key=${trailer},valueonly,separator=%x2C)%x1f`;
}

/** `git log --format=fileLogFormat() --numstat --summary -- FILE`, newest first. */
export function parseFileLog(out: string): FileChange[] {
  return out
    .split('\x1e')
    .slice(1)
    .map((record) => {
      const [commit = '', date = '', subject = '', runs = '', stats = ''] = record.split('\x1f');
      const counts = /^(\d+|-)\t(\d+|-)\t/m.exec(stats);
      const kind = /^ create mode /m.test(stats)
        ? 'added'
        : /^ delete mode /m.test(stats)
          ? 'removed'
          : 'changed';
      const runId = runs.split(',')[0]?.trim();
      return {
        commit,
        date,
        subject,
        ...(runId ? { runId } : {}),
        kind,
        added: Number(counts?.[1] === '-' ? 0 : (counts?.[1] ?? 0)),
        removed: Number(counts?.[2] === '-' ? 0 : (counts?.[2] ?? 0)),
      };
    });
}

/** One file's part of a unified diff of two trees. */
export interface FileDiff {
  /** Path in the store (`configs/r1.cfg`). */
  readonly path: string;
  readonly kind: 'added' | 'changed' | 'removed';
  readonly added: number;
  readonly removed: number;
  /** The file's part of the diff, from its `diff --git` line. */
  readonly diff: string;
}

/** Splits `git diff --no-renames A B` (store paths never need quoting) into its files, in git's order. */
export function splitDiff(out: string): FileDiff[] {
  const parts = out.split(/^(?=diff --git )/m).filter((part) => part.startsWith('diff --git '));
  return parts.map((part) => {
    const header = /^diff --git a\/(\S+) b\/(\S+)$/m.exec(part);
    const lines = part.split('\n');
    const hunkStart = lines.findIndex((line) => line.startsWith('@@'));
    const body = hunkStart < 0 ? [] : lines.slice(hunkStart);
    return {
      path: header?.[2] ?? '',
      kind: /^new file mode /m.test(part)
        ? 'added'
        : /^deleted file mode /m.test(part)
          ? 'removed'
          : 'changed',
      added: body.filter((line) => line.startsWith('+')).length,
      removed: body.filter((line) => line.startsWith('-')).length,
      diff: part,
    };
  });
}

export interface GrepMatch {
  /** Path in the store (`configs/r1.cfg`). */
  readonly path: string;
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
}

/** `git grep -z -n -e PATTERN REV -- PATHS`: `REV:PATH\0LINE\0TEXT` per line. */
export function parseGrep(out: string, rev: string): GrepMatch[] {
  const prefix = `${rev}:`;
  return out
    .split('\n')
    .filter(Boolean)
    .map((entry) => {
      const [where = '', line = '0', ...text] = entry.split('\0');
      return {
        path: where.startsWith(prefix) ? where.slice(prefix.length) : where,
        line: Number(line),
        text: text.join('\0'),
      };
    });
}
