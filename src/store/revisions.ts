/**
 * How a user names a state of the store: a run (its id, `run/ID`, `last`, `last~N`), a date (the
 * store as it was then), or a git revision (a commit id, `HEAD`, `HEAD~2`). Read here, without git;
 * `StoreHistory.resolve()` looks the names up. Each run's result is the tag `run/RUN_ID`.
 */
import { NetopsError } from '../core/errors.js';

/** Where the run tags live: `refs/tags/run/RUN_ID`. */
export const RUN_TAGS = 'refs/tags/run/';

export type RevisionSpec =
  /** A run by its id (the run record's name). */
  | { readonly kind: 'run'; readonly id: string }
  /** The newest run (`last`), or the Nth before it (`last~N`). */
  | { readonly kind: 'last-run'; readonly back: number }
  /** The store as it was at that moment: the last commit made before it. */
  | { readonly kind: 'date'; readonly at: Date }
  /** A commit id (4 hex digits or more) or HEAD, optionally `~N` back. */
  | { readonly kind: 'commit'; readonly rev: string };

/**
 * A run id as a tag name: letters, digits and `. _ -` (the record names are start time and job),
 * no `..`, not ending in `.lock` or `.`: always a valid git ref component.
 */
export function isRunId(text: string): boolean {
  return (
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(text) &&
    !text.includes('..') &&
    !text.endsWith('.lock') &&
    !text.endsWith('.')
  );
}

/** A job's name as the end of its run ids (`runner/run-id.ts`): anything outside [A-Za-z0-9_-] becomes `_`. */
export function jobSlug(job: string): string {
  return job.replace(/[^\w-]/g, '_');
}

/** Whether a run id (`<start time, 24 characters>-<job slug>`) names a run of `job`. */
export function isRunOf(runId: string, job: string): boolean {
  return runId.slice(25) === jobSlug(job);
}

/** The tag of a run: `refs/tags/run/RUN_ID`. */
export function runTag(runId: string): string {
  if (!isRunId(runId)) {
    throw new NetopsError('INTERNAL', `the run id ${JSON.stringify(runId)} cannot name a git tag`, {
      hint: 'Run ids use letters, digits and . _ - only; report this as a bug.',
    });
  }
  return `${RUN_TAGS}${runId}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMMIT = /^(?:HEAD|[0-9a-f]{4,64})(?:~\d{1,6})?$/;

export const revisionForms =
  'a run id (as `netops status` and the run record name it; also run/ID), last or last~N (runs back), a date such as 2026-11-20 or 2026-11-20T06:00Z (the store as it was then; a date alone is 00:00 UTC), or a commit id, HEAD or HEAD~N';

/** What `text` names; `run` for anything shaped like a run id that is not a date or a commit. */
export function parseRevision(text: string): RevisionSpec {
  const last = /^last(?:~(\d{1,6}))?$/.exec(text);
  if (last) return { kind: 'last-run', back: Number(last[1] ?? 0) };
  if (text.startsWith('run/')) return { kind: 'run', id: checkedRunId(text.slice(4), text) };
  if (DATE.test(text)) {
    const at = new Date(/[T ]/.test(text) ? text.replace(' ', 'T') : `${text}T00:00:00Z`);
    if (!Number.isNaN(at.getTime())) return { kind: 'date', at };
  }
  if (COMMIT.test(text)) return { kind: 'commit', rev: text };
  return { kind: 'run', id: checkedRunId(text, text) };
}

function checkedRunId(id: string, text: string): string {
  if (isRunId(id)) return id;
  throw unknownRevision(text, 'is not a revision netops reads');
}

export function unknownRevision(text: string, why: string): NetopsError {
  return new NetopsError('CONFIG_INVALID', `${JSON.stringify(text)} ${why}`, {
    hint: `Name a revision as ${revisionForms}. \`netops history HOST\` lists the changes of a host with their runs.`,
  });
}
