/**
 * The alert a run produces: a subject a tired engineer can triage from, a plain-text body
 * (failures first, with reason and hint, then changed hosts with their diffs) and the same facts as
 * JSON for webhooks. Built only when something is worth telling.
 */
import type { AlertTrigger } from './settings.js';

export interface AlertFailure {
  readonly host: string;
  readonly step: string;
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/** A host that succeeded, but not as asked: `tftp-cli failed (...), backed up with show`. */
export interface AlertWarning {
  readonly host: string;
  readonly step: string;
  readonly message: string;
}

/** A host whose last good run is older than the job allows (`alert_stale_after`), attempted this run or not. */
export interface AlertStale {
  readonly host: string;
  /** When its last good run finished; absent when it never had one. */
  readonly lastGoodAt?: string | undefined;
  /** What its age counts from: the last good run, else its first attempt. */
  readonly since: string;
  readonly ageMs: number;
}

export interface AlertChange {
  readonly host: string;
  /** Unified diff of the stored (sanitized) config. */
  readonly diff: string;
}

/** What the runner knows at the end of a run; only these fields are read. */
export interface AlertInput {
  readonly job: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Hosts per final status. */
  readonly counts: Readonly<Record<'ok' | 'changed' | 'failed' | 'skipped', number>>;
  readonly failed: readonly AlertFailure[];
  /** Sent under the `failure` trigger: a failure a fallback covered is still one. */
  readonly warnings?: readonly AlertWarning[];
  readonly changed: readonly AlertChange[];
  /** Sent under the `failure` trigger: an old backup is a failure that no single run shows. */
  readonly stale?: readonly AlertStale[];
  readonly aborted?: boolean;
  /** Where to look next (run record path, store folder), one per line at the end. */
  readonly links?: readonly string[];
}

export interface AlertPayload {
  readonly job: string;
  readonly subject: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly aborted: boolean;
  readonly counts: AlertInput['counts'];
  readonly failed: readonly AlertFailure[];
  readonly warnings: readonly AlertWarning[];
  readonly changed: ReadonlyArray<{
    readonly host: string;
    readonly diff: string;
    readonly omittedLines: number;
  }>;
  readonly stale: readonly AlertStale[];
  readonly links: readonly string[];
}

export interface Alert {
  readonly subject: string;
  readonly text: string;
  readonly payload: AlertPayload;
}

export interface AlertOptions {
  /** @default ['failure', 'change'] */
  readonly on?: readonly AlertTrigger[];
  /** Diff lines shown per host; the rest is counted, not shown. @default 200 */
  readonly diffLines?: number;
}

/** Hosts named in the subject before "+N". */
const SUBJECT_HOSTS = 3;

/** The alert for this run, or undefined when nothing failed or changed that the job asked about. */
export function buildAlert(input: AlertInput, options: AlertOptions = {}): Alert | undefined {
  const on = options.on ?? ['failure', 'change'];
  const failing =
    input.failed.length > 0 ||
    (input.warnings ?? []).length > 0 ||
    (input.stale ?? []).length > 0 ||
    input.aborted === true;
  const worthIt = (on.includes('failure') && failing) || (on.includes('change') && input.changed.length > 0);
  if (!worthIt) return undefined;

  const subject = subjectLine(input);
  const changed = input.changed.map((change) => ({
    host: change.host,
    ...clip(change.diff, options.diffLines ?? 200),
  }));
  const payload: AlertPayload = {
    job: input.job,
    subject,
    startedAt: input.startedAt,
    ...(input.finishedAt === undefined ? {} : { finishedAt: input.finishedAt }),
    aborted: input.aborted === true,
    counts: input.counts,
    failed: input.failed,
    warnings: input.warnings ?? [],
    changed,
    stale: input.stale ?? [],
    links: input.links ?? [],
  };
  return { subject, text: bodyText(payload), payload };
}

function subjectLine(input: AlertInput): string {
  const parts: string[] = [];
  if (input.failed.length > 0) parts.push(`${input.failed.length} failed (${someHosts(input.failed)})`);
  const warned = [...new Map((input.warnings ?? []).map((w) => [w.host, w])).values()];
  if (warned.length > 0) parts.push(`${warned.length} with warnings (${someHosts(warned)})`);
  if (input.changed.length > 0) parts.push(`${input.changed.length} changed (${someHosts(input.changed)})`);
  const stale = input.stale ?? [];
  if (stale.length > 0) parts.push(`${stale.length} stale (${someHosts(stale)})`);
  if (input.aborted) parts.unshift('ABORTED');
  return `netops ${input.job}: ${parts.join(', ')}`;
}

function someHosts(items: ReadonlyArray<{ readonly host: string }>): string {
  const named = items.slice(0, SUBJECT_HOSTS).map((item) => item.host);
  const more = items.length - named.length;
  return more > 0 ? `${named.join(', ')} +${more}` : named.join(', ');
}

function bodyText(alert: AlertPayload): string {
  const { counts } = alert;
  const lines = [
    `netops ${alert.job}: ${counts.failed} failed, ${counts.changed} changed, ${counts.ok} unchanged` +
      (counts.skipped > 0 ? `, ${counts.skipped} skipped` : '') +
      (alert.aborted ? ' (run aborted before all hosts were done)' : ''),
    `started ${alert.startedAt}${alert.finishedAt ? `, finished ${alert.finishedAt}` : ''}`,
  ];
  if (alert.failed.length > 0) {
    lines.push('', `FAILED (${alert.failed.length})`);
    for (const failure of alert.failed) {
      lines.push(
        '',
        `${failure.host}  ${failure.step}  ${failure.code}`,
        `  ${failure.message}`,
        `  hint: ${failure.hint}`,
      );
    }
  }
  if (alert.warnings.length > 0) {
    lines.push('', `WARNINGS (${alert.warnings.length})`, '');
    for (const warning of alert.warnings) lines.push(`${warning.host}  ${warning.step}: ${warning.message}`);
  }
  if (alert.stale.length > 0) {
    lines.push('', `STALE (${alert.stale.length})`, '');
    for (const s of alert.stale) lines.push(staleLine(s));
  }
  if (alert.changed.length > 0) {
    lines.push('', `CHANGED (${alert.changed.length})`);
    for (const change of alert.changed) {
      lines.push('', change.host);
      if (change.diff !== '') lines.push(change.diff.replace(/\n$/, ''));
      if (change.omittedLines > 0)
        lines.push(`... ${change.omittedLines} more diff lines in the store's history`);
    }
  }
  if (alert.links.length > 0) lines.push('', ...alert.links);
  return `${lines.join('\n')}\n`;
}

/** `r2  no good run since 2026-11-22T02:03:10.000Z (25.0 h)`, or `never good, first tried ...`. */
function staleLine(s: AlertStale): string {
  const hours = `${(s.ageMs / 3_600_000).toFixed(1)} h`;
  return s.lastGoodAt === undefined
    ? `${s.host}  never good, first tried ${s.since} (${hours})`
    : `${s.host}  no good run since ${s.lastGoodAt} (${hours})`;
}

function clip(diff: string, maxLines: number): { diff: string; omittedLines: number } {
  const lines = diff.replace(/\n$/, '').split('\n');
  if (diff === '' || lines.length <= maxLines) return { diff, omittedLines: 0 };
  return { diff: `${lines.slice(0, maxLines).join('\n')}\n`, omittedLines: lines.length - maxLines };
}
