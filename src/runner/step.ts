/**
 * Runs one step on one host: a time limit that holds even when the task ignores its signal,
 * bounded retries with exponential backoff for transient errors only, and an abort that wins.
 * A destructive step is retried only when its connection could not be opened: once connected, a
 * command that erases or reloads may have reached the device, and starting the step again would
 * repeat it. (The startup-config workflow, which reconnects after its reload, fails with the
 * non-transient WORKFLOW_FAILED once it has changed the device.)
 */
import type { AnyTask, StepOutcome, SubtaskOptions, TaskContext } from '../tasks/task.js';
import type { StepResult } from './run-record.js';
import type { Redactor } from './redactor.js';
import { NetopsError, toNetopsError } from '../core/errors.js';

export interface StepLimits {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
}

/** The tasks a step may run inside itself (`ctx.run`), by name. */
export type TaskRegistry = Readonly<Record<string, AnyTask>>;

export async function runStep(
  task: AnyTask,
  step: { readonly name: string; readonly params: unknown },
  context: Omit<TaskContext, 'signal'>,
  limits: StepLimits,
  runSignal: AbortSignal,
  redact: Redactor,
  subtasks: TaskRegistry = {},
): Promise<StepResult> {
  const startedAt = new Date();
  const started = performance.now();
  let attempts = 0;
  const destructive = isDestructive(task, step.params, context);
  const notes: string[] = [];
  const warnings: string[] = [];
  const result = (fields: Pick<StepResult, 'status'> & Partial<StepResult>): StepResult =>
    redact.value({
      name: step.name,
      task: task.name,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      attempts,
      ...fields,
      ...(notes.length === 0 ? {} : { notes: [...new Set(notes)] }),
      ...(warnings.length === 0 ? {} : { warnings: [...new Set(warnings)] }),
    });

  for (;;) {
    attempts++;
    const attempt = new AbortController();
    const onRunAbort = () => attempt.abort(abortedError());
    runSignal.addEventListener('abort', onRunAbort, { once: true });
    let reached: Reached | undefined;
    const timer = setTimeout(
      () => attempt.abort(timeoutError(step.name, limits.timeoutMs, reached)),
      limits.timeoutMs,
    );
    const progress = (where: string, explain?: Reached['explain']) => {
      reached = explain ? { where, explain } : { where };
    };
    try {
      if (runSignal.aborted) throw abortedError();
      // Object.assign, not `{ ...context, signal }`: on Node 20 a spread followed by more fields
      // takes a slow path, about 10 us per step against 0.5.
      const ctx: TaskContext = Object.assign({}, context, {
        signal: attempt.signal,
        note: (message: string) => notes.push(message),
        warn: (message: string) => warnings.push(message),
        progress,
        run: (name: string, params: unknown, options?: SubtaskOptions) =>
          runSubtask(subtasks, ctx, { name, params, options }, isDestructive(task, step.params, ctx)),
      });
      const outcome = await untilAborted(task.run(ctx, step.params), attempt.signal);
      return result({
        status: outcome.status,
        ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
        ...(outcome.data === undefined ? {} : { data: { ...outcome.data } }),
      });
    } catch (thrown) {
      const error = runSignal.aborted ? abortedError() : toNetopsError(attempt.signal.reason ?? thrown);
      const retry = error.transient && attempts <= limits.retries && !runSignal.aborted;
      const repeats = destructive && !connectionFailures.has(error.code);
      if (retry && repeats) notes.push(notRetried);
      if (!retry || repeats)
        return result({ status: 'failed', summary: error.message, error: error.toJSON() });
      context.log(`attempt ${attempts} failed (${error.code}); retrying`, { step: step.name });
      await backoff(limits.backoffMs * 2 ** (attempts - 1), runSignal);
    } finally {
      clearTimeout(timer);
      runSignal.removeEventListener('abort', onRunAbort);
      // Whatever the task still has in flight (sockets, timers) is told to stop.
      if (!attempt.signal.aborted) attempt.abort(stepFinished);
    }
  }
}

/**
 * `ctx.run`: another task on the same host inside a running step. It shares the step's context but
 * not its progress (the step's own place and account of a time-out stay), and may run a
 * destructive task only when the step itself is destructive (and so was confirmed).
 */
function runSubtask(
  tasks: TaskRegistry,
  parent: TaskContext,
  subtask: { readonly name: string; readonly params: unknown; readonly options?: SubtaskOptions | undefined },
  confirmed: boolean,
): Promise<StepOutcome> {
  const { name, params } = subtask;
  const task = tasks[name];
  if (!task) throw subtaskError(`there is no task "${name}" to run inside this step`, tasks);
  const parsed = task.params.safeParse(params);
  if (!parsed.success) {
    throw subtaskError(`the ${name} task refused the params it was given: ${parsed.error.message}`, tasks);
  }
  if (!confirmed && isDestructive(task, parsed.data, parent)) {
    throw subtaskError(`the ${name} task is destructive and this step is not`, tasks);
  }
  const { progress: _progress, session: _session, ...shared } = parent;
  const session = subtask.options?.session;
  const ctx: TaskContext = {
    ...shared,
    ...(session ? { session } : {}),
    log: (message, fields) => parent.log(`${name}: ${message}`, fields),
    run: (inner, innerParams, options) =>
      runSubtask(tasks, ctx, { name: inner, params: innerParams, options }, confirmed),
  };
  return task.run(ctx, parsed.data);
}

/** The connection could not be opened: nothing reached the device, so any step may start again. */
const connectionFailures: ReadonlySet<string> = new Set([
  'CONNECT_REFUSED',
  'CONNECT_TIMEOUT',
  'UNREACHABLE',
]);

const notRetried =
  'not retried: the step erases or reloads, and the device may have received part of it; check the device, then run the job again for this host with --limit';

function isDestructive(task: AnyTask, params: unknown, ctx: Pick<TaskContext, 'host'>): boolean {
  const destructive = task.destructive?.(params, ctx.host);
  return destructive === true || (Array.isArray(destructive) && destructive.length > 0);
}

/** A task that runs another one wrongly: a bug in netops, not in the job. */
function subtaskError(message: string, tasks: TaskRegistry): NetopsError {
  return new NetopsError('INTERNAL', message, {
    hint: `This is a bug in the task that ran it; report it with the run record. Known tasks: ${Object.keys(tasks).join(', ')}.`,
  });
}

/** Settles with the task, or rejects as soon as the signal aborts even if the task never settles. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function backoff(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The last place a task said it reached, and how it would explain stopping there. */
interface Reached {
  readonly where: string;
  readonly explain?: (timeout: NetopsError) => NetopsError;
}

/** A step time-out names where the task was, and gives the task's own account when it has one. */
function timeoutError(step: string, ms: number, reached: Reached | undefined): NetopsError {
  const at = reached ? `; it was at ${reached.where}` : '';
  const timeout = new NetopsError('STEP_TIMEOUT', `step "${step}" did not finish within ${ms / 1000}s${at}`, {
    hint: 'The device may be hanging or slow: check it by hand, or raise `timeout` on the step or `timeouts.step` in the job.',
    details: { timeoutMs: ms, ...(reached ? { reached: reached.where } : {}) },
  });
  if (!reached?.explain) return timeout;
  try {
    return reached.explain(timeout);
  } catch {
    return timeout; // an account that fails must not hide the time-out itself
  }
}

/**
 * The reason a finished step's leftovers are aborted with: one error for every step, where an error
 * built per step costs its stack trace (about 4 us) for a reason nothing reads.
 */
const stepFinished = new NetopsError('ABORTED', 'the step had already finished', {
  hint: 'Nothing to do: this only stops what the step left running.',
});

function abortedError(): NetopsError {
  return new NetopsError('ABORTED', 'the run was interrupted', {
    hint: 'Run the job again; use --limit to run only the hosts that did not finish.',
  });
}
