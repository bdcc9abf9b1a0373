/**
 * What a run prints while it goes. On a terminal: a progress bar with done/failed counts and ETA,
 * failures above it. Without a terminal (cron): one plain line per host. `--quiet`: failures and a
 * summary, and nothing at all when everything succeeded. `--json`: only the run record, at the end.
 */
import cliProgress from 'cli-progress';
import type { HostResult, RunRecord } from '../runner/run-record.js';
import type { RunObserver } from '../runner/runner.js';

export type ReportMode = 'tty' | 'plain' | 'quiet' | 'json';

export interface Reporter extends RunObserver {
  finish(record: RunRecord, recordPath: string): void;
}

interface Streams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

export function createReporter(mode: ReportMode, total: number, streams: Streams): Reporter {
  const { out } = streams;
  switch (mode) {
    case 'json':
      return { finish: (record) => out.write(`${JSON.stringify(record, null, 2)}\n`) };
    case 'quiet':
      return {
        // A host that succeeded only by a fallback is worth a cron mail too.
        hostFinished: (r) =>
          (r.status === 'failed' || hostWarnings(r).length > 0) && out.write(`${formatHostLine(r)}\n`),
        finish: (record, file) =>
          (record.exitCode !== 0 || (record.summary.withWarnings ?? 0) > 0) &&
          out.write(`${formatSummary(record, file)}\n`),
      };
    case 'plain':
      return {
        hostFinished: (r) => out.write(`${formatHostLine(r)}\n`),
        finish: (record, file) => out.write(`${formatSummary(record, file)}\n`),
      };
    case 'tty':
      return progressReporter(total, streams);
  }
}

function progressReporter(total: number, { out, err }: Streams): Reporter {
  const bars = new cliProgress.MultiBar(
    {
      stream: err,
      format:
        '{bar} {value}/{total} hosts | ok {ok}  changed {changed}  failed {failed} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { ok: 0, changed: 0, failed: 0, skipped: 0 };
  const bar = bars.create(total, 0, counts);
  return {
    hostFinished(result) {
      counts[result.status]++;
      if (result.status === 'failed' || hostWarnings(result).length > 0)
        bars.log(`${formatHostLine(result)}\n`);
      bar.increment(1, counts);
    },
    finish(record, file) {
      bars.stop();
      out.write(`${formatSummary(record, file)}\n`);
    },
  };
}

export function formatHostLine(result: HostResult): string {
  const status = result.status === 'failed' ? 'FAILED' : result.status;
  const head = `${result.host.padEnd(16)} ${status.padEnd(8)} ${`${result.durationMs}ms`.padStart(8)}`;
  const failed = result.steps.find((s) => s.status === 'failed');
  if (failed?.error) {
    return `${head}  ${failed.name}: ${failed.error.code}: ${failed.error.message}\n${' '.repeat(36)}hint: ${failed.error.hint}`;
  }
  const done = result.steps.filter((s) => s.status !== 'skipped' && s.summary);
  const indent = `\n${' '.repeat(36)}`;
  const warnings = hostWarnings(result).map((w) => `${indent}warning: ${w}`);
  const notes = result.steps.flatMap((s) => s.notes ?? []).map((n) => `${indent}note: ${n}`);
  return `${`${head}  ${done.map((s) => `${s.name}: ${s.summary}`).join('; ')}`.trimEnd()}${warnings.join('')}${notes.join('')}`;
}

/** Failures that a host's success would otherwise hide (a fallback after a failed method). */
export function hostWarnings(result: HostResult): string[] {
  if (result.status === 'failed') return [];
  return result.steps.flatMap((s) => s.warnings ?? []);
}

export function formatSummary(record: RunRecord, recordPath: string): string {
  const s = record.summary;
  // A run error (the store could not commit, an alert was not sent) fails the run as a host does.
  const state = record.aborted ? 'ABORTED' : s.failed > 0 || record.errors.length > 0 ? 'FAILED' : 'done';
  const runErrors = record.errors.length > 0 ? `, ${record.errors.length} run error(s)` : '';
  const errors = record.errors.map((e) => `\n  run error ${e.code}: ${e.message} (hint: ${e.hint})`).join('');
  const warned = s.withWarnings ? `, ${s.withWarnings} with warnings` : '';
  const warnings = record.hosts.flatMap((h) => hostWarnings(h).map((w) => `\n  warning ${h.host}: ${w}`));
  return (
    `${record.job}: ${state}: ${s.hosts} hosts, ${s.ok} ok, ${s.changed} changed, ${s.failed} failed, ` +
    `${s.skipped} skipped${warned}${runErrors} in ${(record.durationMs / 1000).toFixed(1)}s; record ${recordPath}${errors}${warnings.join('')}`
  );
}
