/**
 * Walks a workflow's steps in order and remembers where it is. When a step fails, the error says
 * which step stopped it, whether the point of no return was passed, the state the device is left
 * in and what to do next (from the step's data), and where the console log is: that is what the
 * run record keeps. Failures after the device was changed are never transient, so the runner can
 * never retry an erase.
 */
import { NetopsError, toNetopsError } from '../../core/errors.js';
import type { TaskContext } from '../task.js';
import { pointOfNoReturn, titleOf, type StepEnv, type WorkflowStep } from './sequence.js';

export interface StepDone {
  readonly id: string;
  readonly ms: number;
  /** What the step found (sizes, differences, store paths); never secrets. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Each step's implementation; what it returns (a plain object, or nothing) becomes its `data`. */
export type StepImplementations<Id extends string> = {
  readonly [K in Id]: () => Promise<unknown>;
};

export interface WorkflowOptions<Id extends string> {
  readonly steps: readonly WorkflowStep<Id>[];
  readonly env: StepEnv;
  readonly run: StepImplementations<Id>;
  /** The console session log file, once one is open. */
  consoleLog(): string | undefined;
  log(message: string, fields?: Record<string, unknown>): void;
  /** The task context's progress: a step time-out is then reported as a stop at the current step. */
  progress?: TaskContext['progress'];
}

export async function runWorkflow<Id extends string>(options: WorkflowOptions<Id>): Promise<StepDone[]> {
  const { steps } = options;
  const done: StepDone[] = [];
  for (const [index, step] of steps.entries()) {
    const started = performance.now();
    const title = titleOf(step, options.env);
    options.log(`step ${index + 1}/${steps.length}: ${title}`, { step: step.id });
    options.progress?.(`step ${index + 1}/${steps.length} "${title}"`, (timeout) =>
      stoppedAt(options, index, [...done], timeout),
    );
    try {
      const data = (await options.run[step.id]()) as Readonly<Record<string, unknown>> | undefined;
      done.push({ id: step.id, ms: Math.round(performance.now() - started), ...(data ? { data } : {}) });
    } catch (error) {
      throw stoppedAt(options, index, done, toNetopsError(error));
    }
  }
  return done;
}

function stoppedAt<Id extends string>(
  options: WorkflowOptions<Id>,
  index: number,
  done: readonly StepDone[],
  cause: NetopsError,
): NetopsError {
  const { steps, env } = options;
  const step = steps[index] as WorkflowStep<Id>;
  const advice = step.failure(env, cause);
  const ponr = pointOfNoReturn(steps);
  // A device that undid the step itself (a reverted replace) is back before the point of no return.
  const passed = ponr >= 0 && index >= ponr && advice.changed;
  const consoleLog = options.consoleLog();
  const details = {
    stoppedAt: step.id,
    step: index + 1,
    steps: steps.length,
    completed: done.map((d) => d.id),
    /** What the completed steps found: the backup paths, the staged file's size, ... */
    progress: done,
    pointOfNoReturnPassed: passed,
    deviceState: advice.state,
    next: advice.next,
    ...(consoleLog ? { consoleLog } : {}),
    cause: cause.toJSON(),
  };
  const where = `step ${index + 1}/${steps.length} "${titleOf(step, env)}"`;
  const ponrNote =
    ponr < 0
      ? ''
      : passed
        ? ' after the point of no return'
        : index >= ponr
          ? ' (the device undid it: unchanged)'
          : ' before the point of no return';
  const message = `${env.host.name}: startup-config stopped at ${where}${ponrNote}: ${cause.message}`;
  const hint = `Device state: ${advice.state}. Next: ${advice.next}${consoleLog ? ` Console log: ${consoleLog}` : ''}`;
  if (!advice.changed) {
    // Nothing on the device changed: keep the cause's code (and retry-ability), add the report.
    return new NetopsError(cause.code, message, {
      hint: `${cause.hint} ${hint}`,
      host: env.host.name,
      transient: cause.transient,
      cause,
      details,
    });
  }
  return new NetopsError('WORKFLOW_FAILED', message, {
    hint: `${cause.hint} ${hint}`,
    host: env.host.name,
    cause,
    details,
  });
}
