/**
 * IOS installs any file as its startup-config (device-reference.md §2.5, §3): the device fetches it
 * from our TFTP server with `copy tftp://SERVER/FILE startup-config`, or swaps its running config
 * for it with `configure replace ... force` and saves. Then we read it back, and reload when asked.
 * `copy` leaves the running config alone, so only the reload is past the point of no return;
 * `replace` changes the running config at once.
 */
import { tftpUrl } from '../../platforms/spec.js';
import type { StartupConfigParams } from './params.js';
import { baselineStep, publishStep, untouched, type StepEnv, type WorkflowStep } from './sequence.js';

const url = (env: StepEnv) => tftpUrl({ server: env.server, file: env.file });
const restoreStartup =
  'Run `copy running-config startup-config` to put the running (old) config back into startup-config, or run the job again.';

const copy: WorkflowStep<'copy'> = {
  id: 'copy',
  title: 'copy the config to startup-config over TFTP',
  via: 'ssh',
  commands: (env) => [
    {
      command: `copy ${url(env)} startup-config`,
      dialog: [
        { question: `Address or name of remote host [${env.server}]?`, answer: '' },
        { question: `Source filename [${env.file}]?`, answer: '' },
        { question: 'Destination filename [startup-config]?', answer: '' },
      ],
    },
  ],
  failure: (env) => ({
    state: 'running-config unchanged; startup-config may be overwritten or partly written',
    next: `Check that ${env.host.name} reaches the TFTP server ${env.server}. ${restoreStartup}`,
    changed: true,
  }),
};

/**
 * `force`: no confirmation question; `revert trigger error`: a line the device refuses makes it put
 * its previous running-config back instead of leaving half of the file applied.
 */
export const replaceCommand = (from: { server: string; file: string }) =>
  `configure replace ${tftpUrl(from)} force revert trigger error`;

const replace: WorkflowStep<'replace'> = {
  id: 'replace',
  title: 'replace the running config with the file (the device reverts if it refuses a line)',
  via: 'ssh',
  destructive: true,
  pointOfNoReturn: true,
  commands: (env) => [{ command: replaceCommand({ server: env.server, file: env.file }) }],
  failure: (_env, cause) => {
    // What the device said decides the state (ios-replace.ts); a lost session says nothing.
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
      next: 'Check `show running-config` over SSH or the console; `reload` without saving returns to the old startup-config.',
      changed: true,
    };
  },
};

const save: WorkflowStep<'save'> = {
  id: 'save',
  title: 'save the running-config',
  via: 'ssh',
  commands: () => [
    {
      command: 'copy running-config startup-config',
      dialog: [{ question: 'Destination filename [startup-config]?', answer: '' }],
    },
  ],
  failure: () => ({
    state: 'running the new config; startup-config still the old one or partly written',
    next: 'Run `copy running-config startup-config` by hand and check it ends with [OK].',
    changed: true,
  }),
};

const verify: WorkflowStep<'verify'> = {
  id: 'verify',
  title: 'check that the startup-config is the intended config',
  via: 'ssh',
  commands: (env) => [{ command: env.platform.startupConfig }],
  failure: () => ({
    state:
      'startup-config written but different from the intended config (see details); running-config not reloaded',
    next: `Compare \`show startup-config\` with \`netops render\`. ${restoreStartup}`,
    changed: true,
  }),
};

const reload: WorkflowStep<'reload'> = {
  id: 'reload',
  title: 'reload so the new startup-config becomes the running config',
  via: 'ssh',
  destructive: true,
  pointOfNoReturn: true,
  commands: () => [
    {
      command: 'reload',
      dialog: [
        { question: 'System configuration has been modified. Save? [yes/no]:', answer: 'no' },
        { question: 'Proceed with reload? [confirm]', answer: '' },
      ],
    },
  ],
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
    next: `Connect to the console (${env.console}) and watch the boot; compare \`show running-config\` with \`netops render\`.`,
    changed: true,
  }),
};

export function iosSteps(
  params: Pick<StartupConfigParams, 'mode' | 'reload'>,
): readonly WorkflowStep<IosStepId>[] {
  const install = params.mode === 'replace' ? [replace, save] : [copy];
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

export type IosStepId =
  'publish' | 'copy' | 'replace' | 'save' | 'verify' | 'reload' | 'running' | 'backup-after';
