/** The run itself, once `netops run` has validated everything: lock, store, runner, alerts, run record, history. */
import type { Host } from '../../config/model.js';
import type { Job } from '../../config/job.js';
import { displayPath } from '../../config/yaml-source.js';
import type { NotifySettings } from '../../notify/settings.js';
import { acquireRunLock } from '../../runner/lock.js';
import { addToRunIndex, indexEntryOf } from '../../runner/run-index.js';
import { recordFile, writeRunRecord, type RunRecord } from '../../runner/run-record.js';
import { runJob } from '../../runner/runner.js';
import type { StoreSettings } from '../../store/settings.js';
import { openJobStore, storeDir, storeResourceKey } from '../../tasks/resources/job-store.js';
import { notifyRun } from '../alerts.js';
import { runTasks } from '../load.js';
import { createReporter, type ReportMode } from '../reporter.js';
import type { RunFlags } from './run-flags.js';
import type { QueuedRun } from './run-queue.js';
import { writeReports, type ReportRequest } from './run-reports.js';
import { staleAfterRun } from './run-stale.js';

export interface RunExtras {
  /** `--report` files to write when the run ends. */
  readonly reports: readonly ReportRequest[];
  /** Every host of the job's inventory, selected or not: staleness covers them all. */
  readonly inventory: readonly Host[];
  /** `--queue`: the hosts run on workers (run-queue.ts); the rest of the run is this one. */
  readonly queued?: QueuedRun;
}

export async function executeRun(
  job: Job,
  hosts: readonly Host[],
  concurrency: number,
  flags: RunFlags,
  extras: RunExtras,
): Promise<number> {
  const recordsDir = flags.records ?? job.recordsDir;
  const lock = await acquireRunLock({ job: job.name, jobFile: job.file });
  if (lock.tookOver) {
    process.stderr.write(
      `netops: took over the lock of a run that died (pid ${lock.tookOver.pid}, started ${lock.tookOver.startedAt})\n`,
    );
  }
  // The store is locked and repaired (stale git locks) before any device is contacted, and opened
  // once: the job's store resource is this store, committed when the run ends.
  const storeSettings = job.settings['store'] as StoreSettings | undefined;
  const store = storeSettings
    ? await openJobStore(
        job,
        storeSettings,
        (message) => process.stderr.write(`netops: ${message}\n`),
        hosts,
      ).catch(async (error: unknown) => {
        await lock.release();
        throw error;
      })
    : undefined;
  const reporter = createReporter(reportMode(flags), hosts.length, {
    out: process.stdout,
    err: process.stderr,
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nnetops: interrupted; stopping (Ctrl-C again to quit at once)\n');
      controller.abort();
    } else process.exit(3);
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const remote = extras.queued ? await extras.queued.start(job, hosts) : {};
    const record = await runJob({
      job,
      hosts,
      tasks: await runTasks(job),
      concurrency,
      ...(flags.threads === undefined ? {} : { threads: flags.threads }),
      confirmed: flags.yes ?? false,
      signal: controller.signal,
      observer: reporter,
      ...remote,
      ...(store && storeSettings
        ? { opened: new Map([[storeResourceKey(storeDir(job.dir, storeSettings)), store]]) }
        : {}),
    });
    const final = await finishRecord(job, record, recordsDir, extras);
    const recordPath = await writeRunRecord(recordsDir, final);
    // After the record: an index line always names a record that exists.
    await addToRunIndex(recordsDir, indexEntryOf(final, extras.inventory));
    reporter.finish(final, displayPath(recordPath));
    return final.exitCode;
  } finally {
    await store?.release();
    await lock.release();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

function reportMode(flags: RunFlags): ReportMode {
  if (flags.json) return 'json';
  if (flags.quiet) return 'quiet';
  return process.stderr.isTTY ? 'tty' : 'plain';
}

/** What the run adds to the runner's record: stale hosts, then alert and report failures, each failing the run. */
async function finishRecord(
  job: Job,
  record: RunRecord,
  recordsDir: string,
  extras: RunExtras,
): Promise<RunRecord> {
  const stale = await staleAfterRun(job, record, recordsDir, extras.inventory);
  const withStale = stale === undefined ? record : failIf(stale.length > 0, { ...record, stale });
  const alertErrors = await notifyRun(job.settings['notify'] as NotifySettings | undefined, withStale, [
    displayPath(recordFile(recordsDir, record)),
  ]);
  const alerted = withErrors(withStale, alertErrors);
  return withErrors(alerted, await writeReports(extras.reports, alerted));
}

function withErrors(record: RunRecord, errors: RunRecord['errors']): RunRecord {
  return failIf(errors.length > 0, { ...record, errors: [...record.errors, ...errors] });
}

/** Exit 1 unless the run already ends worse (3: interrupted). */
function failIf(failed: boolean, record: RunRecord): RunRecord {
  return failed ? { ...record, exitCode: Math.max(record.exitCode, 1) } : record;
}
