/**
 * The steps of a platform that installs a startup-config while it runs (`install-in-place`, IOS):
 * the device fetches the file from our TFTP server into startup-config (or replaces its running
 * config with it and saves), we read it back, and on request reload and wait for SSH to return with
 * the new config running. `copy` leaves the running config alone, so only the reload is past the
 * point of no return; `replace` changes the running config at once. Every command and question
 * comes from the platform.
 */
import type { InstallInPlace } from '../../platforms/startup-config.js';
import type { CommandDialog } from '../../platforms/spec.js';
import type { StartupConfigParams } from './params.js';
import {
  baselineStep,
  plannedDialog,
  publishStep,
  untouched,
  type StepEnv,
  type WorkflowStep,
} from './sequence.js';

/** The TFTP location of the served file, as the device is told it. */
export const servedFile = (env: StepEnv) => ({ server: env.server, file: env.file });

/** The platform's copy of a TFTP file into startup-config. */
export function copyToStartup(env: StepEnv): CommandDialog {
  const copy = env.platform.copyFromTftp?.(servedFile(env), 'startup-config');
  if (!copy) throw new Error(`platform ${env.platform.name} has no copy from TFTP`);
  return copy;
}

export function reloadDialog(env: StepEnv): CommandDialog {
  if (!env.platform.reload) throw new Error(`platform ${env.platform.name} has no reload dialog`);
  return env.platform.reload;
}

const restoreStartup = (env: StepEnv) =>
  `Run \`${env.platform.save.command}\` to put the running (old) config back into startup-config, or run the job again.`;

const copy: WorkflowStep<'copy'> = {
  id: 'copy',
  title: 'copy the config to startup-config over TFTP',
  via: 'ssh',
  commands: (env) => [plannedDialog(copyToStartup(env))],
  failure: (env) => ({
    state: 'running-config unchanged; startup-config may be overwritten or partly written',
    next: `Check that ${env.host.name} reaches the TFTP server ${env.server}. ${restoreStartup(env)}`,
    changed: true,
  }),
};

function replaceStep(workflow: InstallInPlace): WorkflowStep<'replace'> {
  return {
    id: 'replace',
    title: 'replace the running config with the file (the device reverts if it refuses a line)',
    via: 'ssh',
    destructive: true,
    pointOfNoReturn: true,
    commands: (env) => [{ command: workflow.replace?.command(servedFile(env)) ?? '' }],
    failure: (env, cause) => {
      // What the device said decides the state (replace-outcome.ts); a lost session says nothing.
      const outcome = cause?.details?.['replace'];
      if (outcome === 'reverted' || outcome === 'refused') {
        return untouched(
          outcome === 'reverted'
            ? 'Nothing to undo on the device. Fix the refused line(s) in the file, then run again.'
            : 'Nothing to undo on the device. Fix what it refused (the cause), then run again.',
        );
      }
      return {
        state:
          outcome === 'partial'
            ? 'running-config partly replaced: the device applied the file except the line(s) it refused (details.errors); startup-config unchanged (still the old config)'
            : "running-config may be partly or wholly replaced (the device's answer does not say, see the cause); startup-config unchanged (still the old config)",
        next: `Check \`${env.platform.runningConfig}\` over SSH or the console; \`${reloadDialog(env).command}\` without saving returns to the old startup-config.`,
        changed: true,
      };
    },
  };
}

const save: WorkflowStep<'save'> = {
  id: 'save',
  title: 'save the running-config',
  via: 'ssh',
  commands: (env) => [plannedDialog(env.platform.save)],
  failure: (env) => ({
    state: 'running the new config; startup-config still the old one or partly written',
    next: `Run \`${env.platform.save.command}\` by hand and check it ends with [OK].`,
    changed: true,
  }),
};

const verify: WorkflowStep<'verify'> = {
  id: 'verify',
  title: 'check that the startup-config is the intended config',
  via: 'ssh',
  commands: (env) => [{ command: env.platform.startupConfig }],
  failure: (env) => ({
    state:
      'startup-config written but different from the intended config (see details); running-config not reloaded',
    next: `Compare \`${env.platform.startupConfig}\` with \`netops render\`. ${restoreStartup(env)}`,
    changed: true,
  }),
};

const reload: WorkflowStep<'reload'> = {
  id: 'reload',
  title: 'reload so the new startup-config becomes the running config',
  via: 'ssh',
  destructive: true,
  pointOfNoReturn: true,
  commands: (env) => [plannedDialog(reloadDialog(env))],
  failure: (env) => ({
    state: 'the new startup-config is saved; the reload may or may not have started',
    next: `Check the device over SSH or its console (${env.console}); reload it by hand if it did not reload.`,
    changed: true,
  }),
};

const running: WorkflowStep<'running'> = {
  id: 'running',
  title: 'wait for SSH to come back and check the running-config',
  via: 'ssh',
  commands: (env) => [{ command: env.platform.runningConfig }],
  failure: (env) => ({
    state: 'reloaded with the new startup-config; not back on SSH yet, or running something else',
    next: `Connect to the console (${env.console}) and watch the boot; compare \`${env.platform.runningConfig}\` with \`netops render\`.`,
    changed: true,
  }),
};

export function inPlaceSteps(
  workflow: InstallInPlace,
  params: Pick<StartupConfigParams, 'mode' | 'reload'>,
): readonly WorkflowStep<InPlaceStepId>[] {
  const install = params.mode === 'replace' ? [replaceStep(workflow), save] : [copy];
  // Only once the new config is running is it the host's new baseline (copy alone changes startup).
  const runsNewConfig = params.mode === 'replace' || params.reload;
  return [
    publishStep,
    ...install,
    verify,
    ...(params.reload ? [reload, running] : []),
    ...(runsNewConfig ? [baselineStep('ssh')] : []),
  ];
}

export type InPlaceStepId =
  'publish' | 'copy' | 'replace' | 'save' | 'verify' | 'reload' | 'running' | 'backup-after';
