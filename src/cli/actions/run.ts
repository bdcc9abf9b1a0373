/** What `netops run JOB` does: validate everything, then print the plan or hand over to run-job.ts; returns the exit code. */
import { assertConfirmed } from '../../runner/runner.js';
import { tasks } from '../../tasks/registry.js';
import { formatPlan } from '../plan.js';
import { checkSteps } from '../preflight.js';
import type { Job } from '../../config/job.js';
import type { StoreSettings } from '../../store/settings.js';
import { loadHosts, loadJobFile } from '../load.js';
import type { RunFlags } from './run-flags.js';

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
  // Loaded only now: a plan needs none of the runner, the store or the alerts.
  const { executeRun } = await import('./run-job.js');
  return executeRun(job, hosts, concurrency, flags);
}

/** `--accept-shrink HOST`: one run may store a config that lost more than half its size. */
function withAcceptedShrink(job: Job, hosts: readonly string[]): Job {
  const store = job.settings['store'] as StoreSettings | undefined;
  if (hosts.length === 0 || !store || store.allowShrink === true) return job;
  const allowShrink = [...(store.allowShrink || []), ...hosts];
  return { ...job, settings: { ...job.settings, store: { ...store, allowShrink } } };
}
