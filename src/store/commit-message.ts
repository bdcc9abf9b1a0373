/**
 * The one commit message per run: a subject a `git log --oneline` reader can scan
 * (`netops nightly-backup: 3 changed, 1 failed, 196 unchanged`), then one body line per change
 * note (`r1: module 2 serial FOC1234 -> FOC9876`), the failed hosts, and files carried over from
 * an interrupted run, and a `Netops-Run: RUN_ID` trailer naming the run that made the commit
 * (`netops history` reads it back with git's trailer parser).
 */

/**
 * What the store needs to know about the run; `RunSummary` (src/tasks/task.ts) fits it. Declared
 * here because store/ sits below tasks/ and does not import it.
 */
export interface RunTotals {
  readonly job: string;
  readonly startedAt: string;
  /** Hosts per final status. */
  readonly counts: Readonly<Record<'ok' | 'changed' | 'failed' | 'skipped', number>>;
  readonly failedHosts: readonly string[];
  readonly aborted: boolean;
  /** The run's id (the run record's name): trailer of the commit and tag `run/RUN_ID` of its result. */
  readonly runId?: string;
}

/** The trailer key naming the run in each run commit. */
export const RUN_TRAILER = 'Netops-Run';

export interface CommitContent {
  /** Notes given to `write()` for files in this commit, in write order. */
  readonly notes: readonly string[];
  /** Files found uncommitted when the store was opened (an earlier run stopped before its commit). */
  readonly carried: readonly string[];
}

/** Failed hosts named in the body before the list is cut short. */
const MAX_NAMED = 50;

export function commitMessage(run: RunTotals, content: CommitContent): string {
  const { counts } = run;
  const parts = [`${counts.changed} changed`, `${counts.failed} failed`, `${counts.ok} unchanged`];
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  const subject = `netops ${run.job}: ${parts.join(', ')}${run.aborted ? ' (aborted)' : ''}`;

  const body = [...content.notes];
  if (run.failedHosts.length > 0) {
    const named = run.failedHosts.slice(0, MAX_NAMED).join(', ');
    const more = run.failedHosts.length - MAX_NAMED;
    body.push(`failed: ${named}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (content.carried.length > 0) {
    body.push(`carried over from an interrupted run: ${content.carried.join(', ')}`);
  }
  body.push(`run started ${run.startedAt}`);
  const trailer = run.runId === undefined ? '' : `\n${RUN_TRAILER}: ${run.runId}\n`;
  return stripSpace(`${subject}\n\n${body.join('\n')}\n${trailer}`);
}

/**
 * The message as `git commit --file` stores it (its `whitespace` cleanup): no trailing blanks on a
 * line, no blank line first, last or twice in a row. The store's plumbing commit (`commit-tree`)
 * stores a message as given, so both ways of committing store the same one.
 */
function stripSpace(text: string): string {
  const kept: string[] = [];
  for (const line of text.split('\n').map((raw) => raw.replace(/[ \t\v\f\r]+$/, ''))) {
    if (line === '' && (kept.length === 0 || kept.at(-1) === '')) continue;
    kept.push(line);
  }
  while (kept.at(-1) === '') kept.pop();
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}
