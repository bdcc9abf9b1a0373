/**
 * The contract between the runner and a task. A task knows one job step: it gets the host, its
 * validated params and a context, and returns what happened or throws a NetopsError. Tasks never
 * print, never touch other hosts, and honour `ctx.signal`.
 */
import type { z } from 'zod';
import type { Host, SecretRef } from '../config/model.js';
import type { NetopsError } from '../core/errors.js';
import type { CliSession } from '../platforms/session.js';

export type StepStatus = 'ok' | 'changed' | 'failed' | 'skipped';

export interface StepOutcome {
  readonly status: 'ok' | 'changed';
  /** One line for humans: shown per host on the console and in alerts. */
  readonly summary?: string;
  /** Machine-readable results kept in the run record (never secrets). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What a job-level resource learns when the run ends (e.g. the store's commit message). */
export interface RunSummary {
  /** The run id (runner/run-id.ts), e.g. `2026-11-29T02-00-00-412Z-nightly`: the run record's file stem. */
  readonly runId: string;
  readonly job: string;
  readonly startedAt: string;
  readonly counts: Readonly<Record<StepStatus, number>>;
  /** Hosts whose steps all succeeded and at least one changed something. */
  readonly changedHosts: readonly string[];
  readonly failedHosts: readonly string[];
  readonly aborted: boolean;
}

/** A job-level resource (a TFTP server, a store) opened on first use and closed after the run. */
export interface Closable {
  close(run: RunSummary): Promise<void>;
}

export interface TaskContext {
  readonly host: Host;
  /** Aborted on the step's timeout or on Ctrl-C; pass it to everything that waits. */
  readonly signal: AbortSignal;
  /** The job's name and the folder relative paths in it are resolved against. */
  readonly job: { readonly name: string; readonly dir: string; readonly settings: JobSettings };
  /** Fetches a secret when it is needed; the value must never reach a log or a result. */
  secret(ref: SecretRef): Promise<string>;
  /** One shared instance per run and key, opened by the first task that asks for it. */
  resource<T extends Closable>(key: string, open: () => Promise<T>): Promise<T>;
  /** Progress and diagnostics for the log (secrets are masked before writing). */
  log(message: string, fields?: Record<string, unknown>): void;
  /**
   * Something that went differently than asked but does not call for action (a refused `terminal
   * width`): kept in the step's `notes` in the run record and shown under the host's line, never
   * alerted, so a device that always refuses it does not mail every night. Absent where no record is kept.
   */
  note?(message: string): void;
  /**
   * A failure that a success would otherwise hide (a backup method that failed before a fallback
   * worked): kept in the step's `warnings`, counted in the summary, printed with `--quiet` and sent
   * in the alert. Absent where no record is kept.
   */
  warn?(message: string): void;
  /**
   * Removes every secret resolved so far in this run from text the task writes outside the run
   * record (output files); the record itself is redacted by the runner. Absent where none is resolved.
   */
  redact?(text: string): string;
  /**
   * How far the task got (`command 2/5 "show tech"`, `step 8/13 "watch the boot"`), so a step time-out
   * says where it stopped instead of a bare STEP_TIMEOUT. `explain`, when given, turns the time-out
   * into the task's own account of that place (device state, what to do next). Absent where no step
   * time limit applies.
   */
  progress?(where: string, explain?: (timeout: NetopsError) => NetopsError): void;
  /**
   * Runs another task of the registry on this host inside this step (startup-config's backup before
   * the erase): the same signal, secrets, resources, notes and warnings, its log lines prefixed with
   * its name; `params` are checked by that task's schema. Resolves with its outcome, throws its
   * error. A destructive task runs only inside a destructive step (the one the job confirmed).
   * `session`: the step's open session, lent to the task instead of it opening its own (the
   * console after a rebuild is the device's only line). Absent outside the runner.
   */
  run?(task: string, params: unknown, options?: SubtaskOptions): Promise<StepOutcome>;
  /** A session the calling step lent to this task (`run`'s `session`): used, never closed, by it. */
  readonly session?: CliSession;
}

export interface SubtaskOptions {
  readonly session?: CliSession;
}

/** Job sections beyond steps that tasks read (`tftp`, `store`, `notify`, ...), validated by their owners. */
export type JobSettings = Readonly<Record<string, unknown>>;

/** What a plan may read of the job: relative paths resolve against `dir`. */
export interface PlanContext {
  readonly dir: string;
  readonly settings: JobSettings;
  /** The time limit of one step on one host. */
  readonly stepTimeoutMs?: number;
}

export interface Task<P = unknown> {
  readonly name: string;
  /** One line for `--help` and error messages listing known tasks. */
  readonly summary: string;
  readonly params: z.ZodType<P>;
  /** Schemas of the host `data` keys this task reads, checked when the inventory is loaded. */
  readonly hostData?: Readonly<Record<string, z.ZodType>>;
  /**
   * Whether the step erases, reloads or cuts a device off: true, or the destructive lines it would
   * send (a non-empty list); then it runs only with `--yes` or `confirm: true`. With a host: on that
   * host (its platform, its management interface); without: on any host.
   */
  destructive?(params: P, host?: Host): boolean | readonly string[];
  /**
   * Refuses input that is wrong whatever the device says (a masked backup to install, a template
   * value missing for this host) by throwing CONFIG_INVALID. `netops run` calls it for every host
   * before planning or contacting anything; must not open any socket.
   */
  check?(host: Host, params: P, job: PlanContext): void;
  /** The lines `--plan` prints for this host; must not open any socket. */
  plan?(host: Host, params: P, job: PlanContext): string[];
  /**
   * Whether the step may use the run's hosted TFTP server on this host (`tasks/resources/job-tftp.ts`):
   * the server is one listener per machine, so a run keeps such hosts on its main thread
   * (`runner/host-threads.ts`). @default false
   */
  usesHostedTftp?(host: Host, params: P): boolean;
  run(ctx: TaskContext, params: P): Promise<StepOutcome>;
}

/** Lets registries hold tasks with different params types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = Task<any>;

export function defineTask<P>(task: Task<P>): Task<P> {
  return task;
}

/**
 * A task's `run`, loaded on its first call: the definition (params, check, plan) stays light, so
 * `--plan` of a large inventory, `netops tasks` and the schema export never load what talking to
 * a device needs (sessions, the store, the TFTP server, SNMP).
 */
export function lazyRun<P>(load: () => Promise<{ readonly run: Task<P>['run'] }>): Task<P>['run'] {
  let loading: Promise<{ readonly run: Task<P>['run'] }> | undefined;
  return async (ctx, params) => (await (loading ??= load())).run(ctx, params);
}
