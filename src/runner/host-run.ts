/** One host's run: the job's steps in order on it, and what the host's steps share of the run. */
import type { Host } from '../config/model.js';
import type { StepStatus, TaskContext } from '../tasks/task.js';
import { hostContext, type RunShared, type TaskLogObserver } from './host-context.js';
import type { HostResult, StepResult } from './run-record.js';
import { runStep } from './step.js';

export interface RunObserver extends TaskLogObserver {
  hostStarted?(host: Host): void;
  hostFinished?(result: HostResult): void;
}

/** The run as its hosts share it, with the observer that hears hosts start and finish. */
export interface JobRun extends RunShared {
  readonly observer?: RunObserver | undefined;
}

/** The job's steps in order on one host (a worker calls it for each host it takes). */
export async function runHost(host: Host, run: JobRun, runSignal: AbortSignal): Promise<HostResult> {
  const hostStarted = performance.now();
  run.observer?.hostStarted?.(host);
  const steps = await runSteps(hostContext(host, run), run, runSignal);
  // Fields added to a fresh object, not spread into a literal: cheaper per host (see step.ts).
  return Object.assign(hostIdentity(host), {
    status: hostStatus(steps),
    durationMs: Math.round(performance.now() - hostStarted),
    steps,
  });
}

/** Each step until one fails or the run is interrupted; the steps after that are skipped. */
async function runSteps(
  context: Omit<TaskContext, 'signal'>,
  run: RunShared,
  runSignal: AbortSignal,
): Promise<StepResult[]> {
  const { job, tasks, redact } = run;
  const steps: StepResult[] = [];
  for (const step of job.steps) {
    const task = tasks[step.task];
    const blocked = steps.some((s) => s.status === 'failed') || runSignal.aborted;
    if (!task || blocked) {
      steps.push(
        skipped(
          step.name,
          step.task,
          runSignal.aborted ? 'the run was interrupted' : 'an earlier step failed',
        ),
      );
      continue;
    }
    const limits = {
      timeoutMs: step.timeoutMs ?? job.stepTimeoutMs,
      retries: step.retries ?? job.retries,
      backoffMs: job.retryBackoffMs,
    };
    steps.push(await runStep(task, step, context, limits, runSignal, redact, tasks));
  }
  return steps;
}

export function hostIdentity(host: Host): Pick<HostResult, 'host' | 'address' | 'platform'> {
  return {
    host: host.name,
    address: host.address,
    ...(host.platform === undefined ? {} : { platform: host.platform }),
  };
}

export function hostStatus(steps: readonly StepResult[]): StepStatus {
  if (steps.some((s) => s.status === 'failed')) return 'failed';
  if (steps.every((s) => s.status === 'skipped')) return 'skipped';
  return steps.some((s) => s.status === 'changed') ? 'changed' : 'ok';
}

export function skipped(name: string, task: string, reason: string): StepResult {
  return { name, task, status: 'skipped', durationMs: 0, attempts: 0, summary: reason };
}
