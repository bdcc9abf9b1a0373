/**
 * A startup-config workflow as data: the ordered steps of one platform, each with the exact
 * commands and questions a person would see, whether it is destructive, which step is the point of
 * no return, and for each step what state a failure leaves the device in and what to do next.
 * The plan prints these, the runner walks them, and the failure report quotes them, so the three
 * can never tell different stories.
 */
import type { Host } from '../../config/model.js';
import type { NetopsError } from '../../core/errors.js';
import type { CommandDialog, PlannedDialogStep, PlatformSpec } from '../../platforms/spec.js';
import type { StartupConfigParams } from './params.js';

export type Via = 'ssh' | 'console' | 'netops';

/** One line typed at the device and the questions it is expected to ask, with our answers. */
export interface PlannedCommand {
  readonly command: string;
  readonly dialog?: readonly { readonly question: string; readonly answer: string }[];
}

/**
 * A platform dialog as the plan prints it: each question as the device shows it (its pattern where
 * the platform does not say), with our answer; `secret` stands for an answer that is a secret.
 */
export function plannedDialog(dialog: CommandDialog, secret = '<secret>'): PlannedCommand {
  return { command: dialog.command, dialog: plannedQuestions(dialog.steps, secret) };
}

export function plannedQuestions(
  steps: readonly (PlannedDialogStep & { readonly secret?: string })[],
  secret = '<secret>',
): { question: string; answer: string }[] {
  return steps.flatMap((step) => {
    const shown = step.shows ?? `/${step.question.source}/`;
    const answer = step.secret ? secret : step.answer;
    return (typeof shown === 'string' ? [shown] : shown).map((question) => ({ question, answer }));
  });
}

export interface StepEnv {
  readonly host: Host;
  readonly platform: PlatformSpec;
  readonly params: StartupConfigParams;
  /** The TFTP server address the device is told to use (a placeholder in plans). */
  readonly server: string;
  /** The config's file name on the TFTP server and on the device's flash. */
  readonly file: string;
  readonly bytes: number;
  /** `TERMINAL-SERVER:PORT` of the host's console line, or a note that there is none. */
  readonly console: string;
  /** Where the backup taken before the change is kept. */
  readonly backup: string;
}

export interface FailureAdvice {
  /** The state a failure in this step leaves the device in. */
  readonly state: string;
  /** What the engineer should do now. */
  readonly next: string;
  /** False when the device is as it was before the run (a retry from scratch is safe). */
  readonly changed: boolean;
}

export interface WorkflowStep<Id extends string = string> {
  readonly id: Id;
  /** What the step does, for plans, logs and failure reports; from the platform where it names things. */
  readonly title: string | ((env: StepEnv) => string);
  readonly via: Via;
  commands(env: StepEnv): readonly PlannedCommand[];
  /** Erases or reloads: shown as such in plans. */
  readonly destructive?: boolean;
  /** Once this step has started, the device cannot return to its old config by itself. */
  readonly pointOfNoReturn?: boolean;
  /** The state a failure leaves; `cause` (the step's error) says what the device reported, if anything. */
  failure(env: StepEnv, cause?: NetopsError): FailureAdvice;
}

/** Steps before the point of no return leave the device as it was, unless they say otherwise. */
export const untouched = (next: string): FailureAdvice => ({
  state: 'unchanged: running-config and startup-config are as before the run',
  next,
  changed: false,
});

export function titleOf(step: WorkflowStep, env: StepEnv): string {
  return typeof step.title === 'string' ? step.title : step.title(env);
}

/** The index of the point of no return in a sequence, or -1 when it has none. */
export function pointOfNoReturn(steps: readonly WorkflowStep[]): number {
  return steps.findIndex((s) => s.pointOfNoReturn);
}

export function describeConsole(host: Host): string {
  return host.console ? `${host.console.host}:${host.console.port}` : 'no console line in the inventory';
}

/** Both workflows start by serving the file on our TFTP server, to this host's addresses only. */
export const publishStep: WorkflowStep<'publish'> = {
  id: 'publish',
  title: 'publish the config on the TFTP server for this host only',
  via: 'netops',
  commands: (env) => [{ command: `serve ${env.file} (${env.bytes} bytes) to ${env.host.name}'s addresses` }],
  failure: () => untouched("Check the job's `tftp` section (listen addresses, advertise), then run again."),
};

/**
 * Both workflows end by storing what they installed as the host's new good copy: the running-config
 * must hold every intended line (that diff is the check, not the store's shrink guard).
 */
export function baselineStep(via: Via): WorkflowStep<'backup-after'> {
  return {
    id: 'backup-after',
    title: 'store the new running-config as the baseline, checked against the intended config',
    via,
    commands: (env) => [{ command: env.platform.runningConfig }],
    failure: () => ({
      state: 'the new config is running and saved; it was not stored as the new baseline (see the cause)',
      next: 'Compare `show running-config` with `netops render` for this host, then run the backup job for it.',
      changed: true,
    }),
  };
}
