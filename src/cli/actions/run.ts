/** What `netops run JOB` does: validate everything, then plan or run, write the run record, return its exit code. */
import { recordFile, writeRunRecord } from '../../runner/run-record.js';
import { acquireRunLock } from '../../runner/lock.js';
import { openJobStore } from '../../tasks/resources/job-store.js';
import { assertConfirmed, runJob } from '../../runner/runner.js';
import { tasks } from '../../tasks/registry.js';
import { createReporter, type ReportMode } from '../reporter.js';
import { formatPlan } from '../plan.js';
import { checkSteps } from '../preflight.js';
import { notifyRun } from '../alerts.js';
import type { NotifySettings } from '../../notify/settings.js';
import type { Job } from '../../config/job.js';
import type { StoreSettings } from '../../store/settings.js';
import { loadHosts, loadJobFile } from '../load.js';
import { displayPath } from '../../config/yaml-source.js';

export interface RunFlags {
  inventory?: string[];
  limit?: string[];
  concurrency?: number;
  plan?: boolean;
  yes?: boolean;
  json?: boolean;
  quiet?: boolean;
  records?: string;
  acceptShrink?: string[];
  trustNewHosts?: boolean;
}

export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const job = withAcceptedShrink(await loadJobFile(file), flags.acceptShrink ?? []);
  const loaded = await loadHosts(flags.inventory ?? job.inventoryFiles, flags.limit ?? job.limit, (text) =>
    process.stderr.write(`${text}\n`),
  );
  // A changed key is always refused; only keys never seen before may be pinned, and only when asked.
  const trustNew = flags.trustNewHosts || job.trustNewHostKeys;
  const hosts = trustNew
    ? loaded.hosts.map((h) => ({ ...h, ssh: { ...h.ssh, trustNewHostKey: true } }))
    : loaded.hosts;
  const concurrency = flags.concurrency ?? job.concurrency;
  checkSteps(job, hosts, tasks);
  if (flags.plan) {
    process.stdout.write(`${formatPlan({ ...job, concurrency }, hosts, tasks)}\n`);
    return 0;
  }
  assertConfirmed(job, tasks, flags.yes ?? false, hosts);

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

/** `--accept-shrink HOST`: one run may store a config that lost more than half its size. */
function withAcceptedShrink(job: Job, hosts: readonly string[]): Job {
  const store = job.settings['store'] as StoreSettings | undefined;
  if (hosts.length === 0 || !store || store.allowShrink === true) return job;
  const allowShrink = [...(store.allowShrink || []), ...hosts];
  return { ...job, settings: { ...job.settings, store: { ...store, allowShrink } } };
}
