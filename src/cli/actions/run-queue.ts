/**
 * `netops run --queue` and `--resume`: the checks a queued run adds (nothing secret may travel, the
 * Redis server answers) before anything is planned in Redis, then the runner's options that send
 * each host to a worker. The rest of the run is the local run's (run-job.ts).
 */
import type { Host } from '../../config/model.js';
import type { Job } from '../../config/job.js';
import { secretsOf } from '../../config/secrets.js';
import { NetopsError } from '../../core/errors.js';
import type { QueueCoordinator } from '../../queue/coordinator.js';
import { queueSettingsFiles, type QueueSettings } from '../../queue/settings.js';
import type { RunOptions } from '../../runner/runner.js';
import { restoreSettings } from '../../tasks/resources/job-vault.js';
import { queueAccess } from './queue-access.js';
import type { RunFlags } from './run-flags.js';

/** A queued run between its checks and its end. */
export interface QueuedRun {
  /** Writes (or, resuming, reads) the run's plan in Redis and starts hearing results. */
  start(job: Job, hosts: readonly Host[]): Promise<Pick<RunOptions, 'startedAt' | 'hostRunner' | 'hosts'>>;
  close(): Promise<void>;
}

/** Refuses what cannot go through a queue, then connects (QUEUE_UNREACHABLE before anything else). */
export async function prepareQueuedRun(
  url: string,
  job: Job,
  hosts: readonly Host[],
  flags: RunFlags,
): Promise<QueuedRun> {
  refuseClearSecrets(hosts);
  if (restoreSettings(job.settings)) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `job "${job.name}" keeps unsanitized configs (restore:), which a queued run cannot`,
      {
        hint: 'The vault holds secrets and workers return sanitized configs only: run this job without --queue.',
      },
    );
  }
  refuseWorkerReports(job);
  const { QueueCoordinator } = await import('../../queue/coordinator.js');
  const settings = job.settings['queue'] as QueueSettings | undefined;
  const coordinator = await QueueCoordinator.connect(
    queueAccess(url, withJobFiles(flags, settings, job.dir)),
  );
  const siteTimeout = flags.siteTimeout ?? settings?.site_timeout ?? 30;
  return {
    start: (run, selected) => startQueued(coordinator, run, selected, flags.resume, siteTimeout),
    close: () => coordinator.close(),
  };
}

/** The job's `queue:` files where no `--queue-*` flag names one (a flag wins, as for the URL). */
function withJobFiles(flags: RunFlags, settings: QueueSettings | undefined, jobDir: string): RunFlags {
  if (!settings) return flags;
  const files = queueSettingsFiles(settings, jobDir);
  return Object.assign({}, flags, {
    queuePasswordFile: flags.queuePasswordFile ?? files.password_file,
    queueCa: flags.queueCa ?? files.ca,
    queueCert: flags.queueCert ?? files.cert,
    queueKey: flags.queueKey ?? files.key,
  });
}

async function startQueued(
  coordinator: QueueCoordinator,
  job: Job,
  hosts: readonly Host[],
  resume: string | undefined,
  siteTimeout: number,
): Promise<Pick<RunOptions, 'startedAt' | 'hostRunner' | 'hosts'>> {
  const { ensurePlaceholderKey } = await import('../../tasks/resources/job-placeholders.js');
  await ensurePlaceholderKey(job);
  const plan = resume
    ? await coordinator.load(resume, job.name)
    : await coordinator.begin(job, hosts, siteTimeout);
  await coordinator.watch(plan);
  return { startedAt: new Date(plan.startedAt), hostRunner: coordinator.hostRunner(plan), hosts: plan.hosts };
}

/**
 * A collect step's `report:` is rendered from the store when the run ends: on a worker that is its
 * staging folder, not the store, so the report would be wrong; refused rather than written wrong.
 */
function refuseWorkerReports(job: Job): void {
  const step = job.steps.find((s) => s.task === 'collect' && (s.params as { report?: unknown }).report);
  if (step) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `step "${step.name}" asks for a report, which a queued run cannot write`,
      {
        hint: 'Remove report: from the step and run `netops report inventory --store DIR` after the queued run.',
      },
    );
  }
}

/** A plain-text secret in the inventory would be copied into Redis with the host: refused. */
function refuseClearSecrets(hosts: readonly Host[]): void {
  for (const host of hosts) {
    const clear = secretsOf(host).find(({ ref }) => 'value' in ref);
    if (clear) {
      throw new NetopsError(
        'CONFIG_INVALID',
        `host ${host.name} has ${clear.what} in plain text, which a queued run would copy into Redis`,
        {
          hint: 'Give it as { env: NAME } or { file: PATH }: each worker reads the secret from its own environment or files.',
          host: host.name,
        },
      );
    }
  }
}
