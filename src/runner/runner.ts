/**
 * Runs a job: steps in order on each host, hosts in parallel up to the job's concurrency. A failed
 * step skips the rest of that host's steps and nothing else; Ctrl-C stops scheduling, aborts what is
 * in flight and still returns a complete record.
 */
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import { resolveSecret } from '../config/secrets.js';
import type { AnyTask, Closable, RunSummary, StepStatus, TaskContext } from '../tasks/task.js';

import { now } from '../core/clock.js';
import { toNetopsError, type ErrorRecord } from '../core/errors.js';
import type { HostResult, RunRecord } from './run-record.js';
import { Redactor } from './redactor.js';
import { runIdOf } from './run-id.js';
import { assertConfirmed } from './confirm.js';
import { hostContext } from './host-context.js';
import { hostIdentity, runHost, skipped, type JobRun, type RunObserver } from './host-run.js';
import { startThreads } from './thread-plan.js';

/** What `netops run`'s reporter implements to hear hosts start and finish. */
export type { RunObserver } from './host-run.js';

export interface RunOptions {
  readonly job: Job;
  readonly hosts: readonly Host[];
  readonly tasks: Readonly<Record<string, AnyTask>>;
  /** Overrides the job's concurrency (`--concurrency`). */
  readonly concurrency?: number;
  /** `--yes`: destructive steps may run. */
  readonly confirmed?: boolean;
  readonly signal?: AbortSignal;
  readonly observer?: RunObserver;
  /** Reads secrets; a seam for tests. @default resolveSecret */
  readonly secret?: typeof resolveSecret;
  /**
   * Resources the caller opened before the run, by the key a task asks for them (`netops run` locks
   * the job's store before any device is contacted): a task gets this one instead of opening a
   * second, and the run closes it at the end like its own, if a task used it.
   */
  readonly opened?: ReadonlyMap<string, Closable>;
  /** When the run started: its id derives from it, so a resumed run keeps its id. @default now */
  readonly startedAt?: Date;
  /**
   * Runs one host's steps elsewhere (queue/coordinator.ts: on a worker) instead of here; every host
   * is handed over at once and waits for its result, the rest of the run (record, resources and
   * their commit, observer) is this one. @default the steps run in this process, `concurrency` at a time
   */
  readonly hostRunner?: HostRunner;
  /**
   * Worker threads for the hosts' steps (`--threads`, runner/thread-plan.ts): a number, or `auto`;
   * 1 runs every host on this thread. Ignored with a hostRunner. @default the job's, else 'auto'
   */
  readonly threads?: number | 'auto';
}

/** Where a host's steps run, given what a task would see of the run on that host. */
export type HostRunner = (
  host: Host,
  context: Omit<TaskContext, 'signal'>,
  signal: AbortSignal,
) => Promise<HostResult>;

export async function runJob(options: RunOptions): Promise<RunRecord> {
  const { job, hosts, tasks, observer } = options;
  assertConfirmed(job, tasks, options.confirmed ?? false, hosts);
  const startedAt = options.startedAt ?? now();
  const id = runIdOf(startedAt.toISOString(), job.name);
  const started = performance.now();
  const runSignal = options.signal ?? new AbortController().signal;
  // Every step in flight listens for the run's abort: that is one listener per busy host, not a leak.
  setMaxListeners(0, runSignal);
  const run: JobRun = {
    job,
    tasks,
    observer,
    redact: new Redactor(),
    readSecret: options.secret ?? resolveSecret,
    resources: new Map(),
    opened: options.opened,
  };
  const concurrency = options.concurrency ?? job.concurrency;
  const results = new Map<string, HostResult>();
  const remote = options.hostRunner;
  const threads = remote
    ? undefined
    : await startThreads(run, hosts, options.threads ?? job.threads ?? 'auto', runSignal);
  await forEachHost(hosts, remote ? Infinity : concurrency, runSignal, async (host) => {
    const result = remote
      ? await remote(host, hostContext(host, run), runSignal)
      : threads?.takes(host)
        ? await threads.pool.run(host, hostContext(host, run), runSignal)
        : await runHost(host, run, runSignal);
    results.set(host.name, result);
    observer?.hostFinished?.(result);
  });

  // Hosts never started (the run was interrupted) are reported, not forgotten.
  const hostResults = hosts.map((host) => results.get(host.name) ?? notStarted(host, job));
  const counts = countStatuses(hostResults);
  const aborted = runSignal.aborted;
  const summary = runSummary(id, job, startedAt, hostResults, counts, aborted);
  const errors = [
    ...((await threads?.pool.close(summary)) ?? []),
    ...(await closeResources(run.resources, summary, run.redact)),
  ];
  const exitCode = aborted ? 3 : counts.failed > 0 || errors.length > 0 ? 1 : 0;
  return {
    version: 1,
    id,
    job: job.name,
    jobFile: job.file,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    durationMs: Math.round(performance.now() - started),
    aborted,
    exitCode,
    concurrency,
    ...(threads ? { threads: threads.pool.size } : {}),
    limit: [...job.limit],
    summary: recordSummary(hostResults, counts),
    hosts: hostResults,
    errors,
  };
}

/** Runs `work` for each host, at most `concurrency` at a time; an abort stops starting new ones. */
async function forEachHost(
  hosts: readonly Host[],
  concurrency: number,
  runSignal: AbortSignal,
  work: (host: Host) => Promise<void>,
): Promise<void> {
  const queue = new PQueue({ concurrency });
  const onAbort = () => queue.clear();
  runSignal.addEventListener('abort', onAbort, { once: true });
  for (const host of hosts) void queue.add(() => work(host));
  await queue.onIdle();
  runSignal.removeEventListener('abort', onAbort);
}

function notStarted(host: Host, job: Job): HostResult {
  return {
    ...hostIdentity(host),
    status: 'skipped',
    durationMs: 0,
    steps: job.steps.map((s) => skipped(s.name, s.task, 'the run was interrupted before this host started')),
  };
}

/** What the job's resources learn when the run ends. */
function runSummary(
  runId: string,
  job: Job,
  startedAt: Date,
  hostResults: readonly HostResult[],
  counts: Record<StepStatus, number>,
  aborted: boolean,
): RunSummary {
  return {
    runId,
    job: job.name,
    startedAt: startedAt.toISOString(),
    counts,
    changedHosts: hostResults.filter((h) => h.status === 'changed').map((h) => h.host),
    failedHosts: hostResults.filter((h) => h.status === 'failed').map((h) => h.host),
    aborted,
  };
}

function recordSummary(
  hostResults: readonly HostResult[],
  counts: Record<StepStatus, number>,
): RunRecord['summary'] {
  // Hosts that succeeded although something failed on the way (a fallback after a failed method).
  const withWarnings = hostResults.filter(
    (h) => h.status !== 'failed' && h.steps.some((s) => (s.warnings ?? []).length > 0),
  ).length;
  return { hosts: hostResults.length, ...counts, ...(withWarnings > 0 ? { withWarnings } : {}) };
}

async function closeResources(
  resources: Map<string, Promise<Closable>>,
  summary: RunSummary,
  redact: Redactor,
): Promise<ErrorRecord[]> {
  const errors: ErrorRecord[] = [];
  for (const [, pending] of resources) {
    try {
      await (await pending).close(summary);
    } catch (error) {
      errors.push(redact.value(toNetopsError(error).toJSON()));
    }
  }
  return errors;
}

function countStatuses(hosts: readonly HostResult[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { ok: 0, changed: 0, failed: 0, skipped: 0 };
  for (const h of hosts) counts[h.status]++;
  return counts;
}
