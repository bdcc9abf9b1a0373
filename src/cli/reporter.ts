/**
 * What a run prints while it goes. On a terminal: a progress bar with done/failed counts and ETA,
 * failures above it. Without a terminal (cron): one plain line per host. `--quiet`: failures and a
 * summary, and nothing at all when everything succeeded. `--json`: only the run record, at the end.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
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
          out.write(`${formatSummary(record, file)}\n${scrapeLine(record)}\n`),
      };
    case 'plain':
      return {
        hostFinished: (r) => out.write(`${formatHostLine(r)}\n`),
        finish: (record, file) => out.write(`${formatSummary(record, file)}\n${scrapeLine(record)}\n`),
      };
    case 'tty':
      return progressReporter(total, streams);
  }
}

function progressReporter(total: number, { out, err }: Streams): Reporter {
  // Only a terminal shows the bar: a cron or --json run does not load the package.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
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
      out.write(`${formatSummary(record, file)}\n${scrapeLine(record)}\n`);
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

/**
 * The last line of a run's output, for monitoring to scrape: `key=value` pairs, fixed names, no
 * spaces inside values, e.g. `netops-run job=nightly run=2026-...-nightly result=failed exit=1
 * hosts=200 ok=196 changed=2 failed=1 skipped=1 stale=1 warnings=0 errors=0 seconds=190.2`.
 */
export function scrapeLine(record: RunRecord): string {
  const s = record.summary;
  const result = record.aborted ? 'aborted' : record.exitCode === 0 ? 'ok' : 'failed';
  const pairs = {
    job: record.job.replace(/[^\w.-]/g, '_'),
    run: record.id,
    result,
    exit: record.exitCode,
    hosts: s.hosts,
    ok: s.ok,
    changed: s.changed,
    failed: s.failed,
    skipped: s.skipped,
    stale: record.stale?.length ?? 0,
    warnings: s.withWarnings ?? 0,
    errors: record.errors.length,
    seconds: (record.durationMs / 1000).toFixed(1),
  };
  return `netops-run ${Object.entries(pairs)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
}

export function formatSummary(record: RunRecord, recordPath: string): string {
  const s = record.summary;
  // A run error (the store could not commit, an alert was not sent) fails the run as a host does.
  const state = record.aborted ? 'ABORTED' : record.exitCode !== 0 ? 'FAILED' : 'done';
  const runErrors = record.errors.length > 0 ? `, ${record.errors.length} run error(s)` : '';
  const errors = record.errors.map((e) => `\n  run error ${e.code}: ${e.message} (hint: ${e.hint})`).join('');
  const warned = s.withWarnings ? `, ${s.withWarnings} with warnings` : '';
  const stale = record.stale ?? [];
  const staleText = stale.length > 0 ? `, ${stale.length} stale` : '';
  const staleLines = stale.map(
    (h) =>
      `\n  stale ${h.host}: ${h.lastGoodAt ? `no good run since ${h.lastGoodAt}` : `never good since ${h.since}`}`,
  );
  const warnings = record.hosts.flatMap((h) => hostWarnings(h).map((w) => `\n  warning ${h.host}: ${w}`));
  return (
    `${record.job}: ${state}: ${s.hosts} hosts, ${s.ok} ok, ${s.changed} changed, ${s.failed} failed, ` +
    `${s.skipped} skipped${warned}${staleText}${runErrors} in ${(record.durationMs / 1000).toFixed(1)}s; record ${recordPath}${errors}${staleLines.join('')}${warnings.join('')}`
  );
}
