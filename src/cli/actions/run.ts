/** What `netops run JOB` does: validate everything, then print the plan or hand over to run-job.ts; returns the exit code. */
import { assertConfirmed } from '../../runner/confirm.js';
import { checkSteps } from '../preflight.js';
import type { Job } from '../../config/job.js';
import type { Host } from '../../config/model.js';
import type { StoreSettings } from '../../store/settings.js';
import { jobTasks, loadHosts, loadJobFile } from '../load.js';
import type { RunFlags } from './run-flags.js';
import { parseReports } from './run-reports.js';
import type { QueueSettings } from '../../queue/settings.js';
import { NetopsError } from '../../core/errors.js';

export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const job = withAcceptedShrink(await loadJobFile(file), flags.acceptShrink ?? []);
  const reports = parseReports(flags.report ?? []);
  const queue = queueOf(job, flags);
  // A queued run's secrets are read by the workers, from their own environment and files, not here.
  const loaded = await loadHosts(
    flags.inventory ?? job.inventoryFiles,
    flags.limit ?? job.limit,
    (text) => process.stderr.write(`${text}\n`),
    { checkSecrets: queue === undefined },
  );
  // A changed key is always refused; only keys never seen before may be pinned, and only when asked.
  const trustNew = flags.trustNewHosts || job.trustNewHostKeys;
  const selected = trustNew
    ? loaded.hosts.map((h) => ({ ...h, ssh: { ...h.ssh, trustNewHostKey: true } }))
    : loaded.hosts;
  const recordsDir = flags.records ?? job.recordsDir;
  const hosts = flags.retryFailed
    ? await onlyFailed(job, recordsDir, flags.retryFailed, selected, Boolean(flags.quiet || flags.json))
    : selected;
  if (hosts === undefined) return 0;
  const concurrency = flags.concurrency ?? job.concurrency;
  // Only the tasks the job names: a plan loads no other task's definition.
  const tasks = await jobTasks(job);
  checkSteps(job, hosts, tasks);
  if (flags.plan) {
    const { formatPlan } = await import('../plan.js');
    process.stdout.write(`${formatPlan({ ...job, concurrency }, hosts, tasks)}\n`);
    return 0;
  }
  assertConfirmed(job, tasks, flags.yes ?? false, hosts);
  const queued = queue
    ? await (await import('./run-queue.js')).prepareQueuedRun(queue, job, hosts, flags)
    : undefined;
  // Loaded only now: a plan needs none of the runner, the store or the alerts.
  const { executeRun } = await import('./run-job.js');
  try {
    return await executeRun(job, hosts, concurrency, flags, {
      reports,
      inventory: [...loaded.inventory.hosts.values()],
      ...(queued ? { queued } : {}),
    });
  } finally {
    await queued?.close();
  }
}

/** `--retry-failed`: the selected hosts that failed in that run; undefined (nothing to do) when none did. */
async function onlyFailed(
  job: Job,
  recordsDir: string,
  which: string | true,
  hosts: Host[],
  quiet: boolean,
): Promise<Host[] | undefined> {
  const { retryFailed } = await import('./run-retry.js');
  const retry = await retryFailed(job, recordsDir, which, hosts);
  for (const name of retry.missing) {
    process.stderr.write(
      `netops: warning: ${name} failed in ${retry.runId} but is not selected now; not retried\n`,
    );
  }
  if (retry.hosts.length > 0) {
    if (!quiet)
      process.stderr.write(`netops: retrying ${retry.hosts.length} host(s) that failed in ${retry.runId}\n`);
    return retry.hosts;
  }
  if (!quiet) process.stderr.write(`netops: no selected host failed in ${retry.runId}; nothing to retry\n`);
  return undefined;
}

/** `--accept-shrink HOST`: one run may store a config that lost more than half its size. */
function withAcceptedShrink(job: Job, hosts: readonly string[]): Job {
  const store = job.settings['store'] as StoreSettings | undefined;
  if (hosts.length === 0 || !store || store.allowShrink === true) return job;
  const allowShrink = [...(store.allowShrink || []), ...hosts];
  return { ...job, settings: { ...job.settings, store: { ...store, allowShrink } } };
}

/** The queue this run goes to (`--queue`, else the job's `queue.url`), or undefined for a local run. */
function queueOf(job: Job, flags: RunFlags): string | undefined {
  const url = flags.queue ?? (job.settings['queue'] as QueueSettings | undefined)?.url;
  if (flags.resume && !url) {
    throw new NetopsError('CONFIG_INVALID', '--resume needs the queue the run went to', {
      hint: 'Give --queue redis://HOST:PORT (or set queue.url in the job).',
    });
  }
  return url;
}
