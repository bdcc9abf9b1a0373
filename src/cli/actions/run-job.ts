/** The run itself, once `netops run` has validated everything: lock, store, runner, alerts, run record. */
import type { Host } from '../../config/model.js';
import type { Job } from '../../config/job.js';
import { displayPath } from '../../config/yaml-source.js';
import type { NotifySettings } from '../../notify/settings.js';
import { acquireRunLock } from '../../runner/lock.js';
import { recordFile, writeRunRecord } from '../../runner/run-record.js';
import { runJob } from '../../runner/runner.js';
import type { StoreSettings } from '../../store/settings.js';
import { tasks } from '../../tasks/registry.js';
import { openJobStore } from '../../tasks/resources/job-store.js';
import { notifyRun } from '../alerts.js';
import { createReporter, type ReportMode } from '../reporter.js';
import type { RunFlags } from './run-flags.js';

export async function executeRun(
  job: Job,
  hosts: readonly Host[],
  concurrency: number,
  flags: RunFlags,
): Promise<number> {
  const recordsDir = flags.records ?? job.recordsDir;
  const lock = await acquireRunLock({ job: job.name, jobFile: job.file });
  if (lock.tookOver) {
    process.stderr.write(
      `netops: took over the lock of a run that died (pid ${lock.tookOver.pid}, started ${lock.tookOver.startedAt})\n`,
    );
  }
  // The store is locked and repaired (stale git locks) before any device is contacted; the job's
  // store resource shares this lock and commits under it.
  const storeSettings = job.settings['store'] as StoreSettings | undefined;
  const store = storeSettings
    ? await openJobStore(job, storeSettings, (message) => process.stderr.write(`netops: ${message}\n`)).catch(
        async (error: unknown) => {
          await lock.release();
          throw error;
        },
      )
    : undefined;
  const mode: ReportMode = flags.json
    ? 'json'
    : flags.quiet
      ? 'quiet'
      : process.stderr.isTTY
        ? 'tty'
        : 'plain';
  const reporter = createReporter(mode, hosts.length, { out: process.stdout, err: process.stderr });
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
    const record = await runJob({
      job,
      hosts,
      tasks,
      concurrency,
      confirmed: flags.yes ?? false,
      signal: controller.signal,
      observer: reporter,
    });
    const alertErrors = await notifyRun(job.settings['notify'] as NotifySettings | undefined, record, [
      displayPath(recordFile(recordsDir, record)),
    ]);
    const final =
      alertErrors.length === 0
        ? record
        : { ...record, errors: [...record.errors, ...alertErrors], exitCode: Math.max(record.exitCode, 1) };
    const recordPath = await writeRunRecord(recordsDir, final);
    reporter.finish(final, displayPath(recordPath));
    return final.exitCode;
  } finally {
    await store?.release();
    await lock.release();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
