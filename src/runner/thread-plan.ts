/**
 * Whether a run spreads its hosts over worker threads, and which hosts stay on the main thread.
 * One thread runs every session, sanitizer and store write of a run: on a 2-core machine netops used
 * one core. Worker threads run hosts' steps (SSH crypto, the channel, the sanitizer); the main thread
 * alone writes the store, the record, the output and the alerts.
 */
import { availableParallelism } from 'node:os';
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { AnyTask } from '../tasks/task.js';
import { loadTasks } from '../tasks/catalog.js';
import { ensurePlaceholderKey } from '../tasks/resources/job-placeholders.js';
import { restoreSettings } from '../tasks/resources/job-vault.js';
import type { HostThreads } from './host-threads.js';
import type { JobRun } from './host-run.js';

/**
 * Below this many hosts on threads, `auto` keeps one thread: a worker thread loads netops' modules
 * again (about 0.2 s of CPU each), which a small run does not win back.
 */
export const AUTO_MIN_HOSTS = 50;

/**
 * Below this many cores, `auto` keeps one thread. Measured on 2 cores (1,000 devices, loopback lab,
 * load 10-12): the main thread and a worker cost 13.1-18.1 ms of CPU per device against 9.2-13.0 on
 * one thread, 70-90 MiB more peak RSS, and no shorter wall (69 s against 54 s first run): with two
 * cores already busy the second thread finds no idle core. Four cores leave room for that 1.4x.
 */
export const AUTO_MIN_CORES = 4;

/**
 * Why no host of the job may leave the main thread, or undefined. The restore vault makes its key
 * on first use and a collect report renders from the store once it is committed: both are the
 * store owner's work.
 */
export function jobStaysOnMain(job: Job): string | undefined {
  if (restoreSettings(job.settings)) return 'the job keeps unsanitized configs (restore:)';
  const report = job.steps.find((s) => s.task === 'collect' && (s.params as { report?: unknown }).report);
  return report ? `step "${report.name}" writes a report` : undefined;
}

/** A host whose steps may use the hosted TFTP server (one listener per machine) runs on the main thread. */
export function hostStaysOnMain(job: Job, tasks: Readonly<Record<string, AnyTask>>, host: Host): boolean {
  return job.steps.some((step) => tasks[step.task]?.usesHostedTftp?.(host, step.params) ?? false);
}

/**
 * Threads that run hosts (the main thread and N - 1 workers) for a run whose `onThreads` hosts may
 * leave the main thread: the setting's number (at most one per such host), or for `auto` one per
 * core with at least AUTO_MIN_CORES cores and AUTO_MIN_HOSTS such hosts. 1: all on the main thread.
 */
export function threadCount(
  setting: number | 'auto',
  onThreads: number,
  cores: number = availableParallelism(),
): number {
  if (onThreads === 0) return 1;
  if (setting !== 'auto') return Math.max(1, Math.min(setting, onThreads));
  return cores >= AUTO_MIN_CORES && onThreads >= AUTO_MIN_HOSTS ? cores : 1;
}

/** Whether the run's steps are the catalog's tasks, the ones a worker thread loads (a test may pass its own). */
async function catalogTasks(run: JobRun): Promise<boolean> {
  const loaded = await loadTasks(run.job.steps.map((step) => step.task));
  return run.job.steps.every((step) => run.tasks[step.task] === loaded[step.task]);
}

/** A run's worker threads and the hosts they take (the others run on the main thread). */
export interface RunThreads {
  readonly pool: HostThreads;
  takes(host: Host): boolean;
}

/** Starts the run's worker threads, or undefined when every host runs on the main thread. */
export async function startThreads(
  run: JobRun,
  hosts: readonly Host[],
  setting: number | 'auto',
  runSignal: AbortSignal,
): Promise<RunThreads | undefined> {
  // One thread even if every host could leave the main one (`--threads 1`, `auto` on a machine with
  // fewer than AUTO_MIN_CORES cores, a small run): each host's steps need not be asked where they run.
  if (threadCount(setting, hosts.length) === 1 || jobStaysOnMain(run.job) || !(await catalogTasks(run)))
    return undefined;
  const onThreads = new Set(hosts.filter((h) => !hostStaysOnMain(run.job, run.tasks, h)).map((h) => h.name));
  const count = threadCount(setting, onThreads.size);
  if (count === 1) return undefined;
  await ensurePlaceholderKey(run.job);
  // Loaded only for a run that uses threads.
  const { HostThreads } = await import('./host-threads.js');
  return { pool: HostThreads.start(run, count - 1, runSignal), takes: (host) => onThreads.has(host.name) };
}
