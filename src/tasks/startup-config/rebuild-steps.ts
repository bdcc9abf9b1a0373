/**
 * The steps of a platform that cannot install a startup-config while it runs (`rebuild-on-console`,
 * the Nexus 7000): the file is staged on flash, the config is erased, the device reloads, and the
 * rest happens on the console through the terminal server: first-boot dialogs, login, the staged
 * file applied, saved. The reload is the point of no return. Every command and question comes from
 * the platform.
 */
import type { RebuildOnConsole } from '../../platforms/startup-config.js';
import type { CommandDialog, PlatformSpec } from '../../platforms/spec.js';
import {
  baselineStep,
  plannedDialog,
  plannedQuestions,
  publishStep,
  untouched,
  type StepEnv,
  type WorkflowStep,
} from './sequence.js';

/** The staged file as the device names it (`bootflash:netops-sw1.cfg`). */
export const stagedPath = (workflow: RebuildOnConsole, env: StepEnv) => `${workflow.flash}${env.file}`;

/** The platform's copy of the served file onto its flash. */
export function stageDialog(workflow: RebuildOnConsole, env: StepEnv): CommandDialog {
  const from = { server: env.server, file: env.file, ...(workflow.vrf ? { vrf: workflow.vrf } : {}) };
  const copy = env.platform.copyFromTftp?.(from, stagedPath(workflow, env));
  if (!copy) throw new Error(`platform ${env.platform.name} has no copy from TFTP`);
  return copy;
}

export function platformDialog(platform: PlatformSpec, which: 'erase' | 'reload'): CommandDialog {
  const dialog = platform[which];
  if (!dialog) throw new Error(`platform ${platform.name} has no ${which} dialog`);
  return dialog;
}

/** The host's rebuild workflow (the plan and the run only give these steps to such a host). */
function rebuildOf(env: StepEnv): RebuildOnConsole {
  const workflow = env.platform.startupConfigWorkflow;
  if (workflow?.kind !== 'rebuild-on-console')
    throw new Error(`platform ${env.platform.name} does not rebuild`);
  return workflow;
}

const staged = (env: StepEnv) => stagedPath(rebuildOf(env), env);
const apply = (env: StepEnv) => `\`${rebuildOf(env).apply(staged(env))}\``;
const save = (env: StepEnv) => `\`${env.platform.save.command}\``;
const user = (env: StepEnv) => rebuildOf(env).firstBootUser;
const userPassword = (env: StepEnv) => `<${user(env)} password>`;
const onConsole = (env: StepEnv) =>
  `Connect to the console (terminal server ${env.console}), log in as ${user(env)}`;
const recoverFromConsole = (env: StepEnv) =>
  `${onConsole(env)}, then ${apply(env)} and ${save(env)}. The old config is in the store at ${env.backup}.`;
const bootState = (env: StepEnv) =>
  `reloading or booted with an empty startup-config (erased); the new config is on ${staged(env)}, not applied`;
const throughVrf = (env: StepEnv) => {
  const { vrf } = rebuildOf(env);
  return vrf ? ` through VRF ${vrf}` : '';
};

const md5Command = (env: StepEnv) => rebuildOf(env).md5?.(staged(env));

export const rebuildSteps = [
  publishStep,
  {
    id: 'stage',
    title: (env) => `copy the config to ${rebuildOf(env).flash} over TFTP`,
    via: 'ssh',
    commands: (env) => [plannedDialog(stageDialog(rebuildOf(env), env))],
    failure: (env) =>
      untouched(
        `Check that ${env.host.name} reaches the TFTP server ${env.server}${throughVrf(env)}; a partial ${staged(env)} may be left (delete ${staged(env)}).`,
      ),
  },
  {
    id: 'check-staged',
    title: 'check the staged file: size, and MD5 where the release has it',
    via: 'ssh',
    commands: (env) => [
      { command: rebuildOf(env).listFlash.command },
      ...(md5Command(env) ? [{ command: md5Command(env)! }] : []),
    ],
    failure: (env) =>
      untouched(
        `${staged(env)} is not the file we sent: delete it and run again (check free space with \`${rebuildOf(env).listFlash.command}\`).`,
      ),
  },
  {
    id: 'backup-before',
    title: 'back up the running-config to the store',
    via: 'ssh',
    commands: (env) => [{ command: env.platform.runningConfig }],
    failure: () =>
      untouched('Fix the store (see the error), then run again: nothing is erased without a backup.'),
  },
  {
    id: 'console-check',
    title: 'log in on the console through the terminal server and keep the line open',
    via: 'console',
    commands: (env) => [{ command: `telnet ${env.console}, RETURN, log in` }],
    failure: (env) =>
      untouched(
        `The console line ${env.console} must work before anything is erased: check the terminal server port, that no one else holds the line, and the console login.`,
      ),
  },
  {
    id: 'erase',
    title: 'erase the startup-config',
    via: 'ssh',
    destructive: true,
    commands: (env) => [plannedDialog(platformDialog(env.platform, 'erase'))],
    failure: (env) => ({
      state: 'startup-config may be erased; running-config is unchanged',
      next: `Over SSH or the console, run ${save(env)} to put the current config back before anything reloads the device.`,
      changed: true,
    }),
  },
  {
    id: 'reload',
    title: 'reload (SSH goes away; the console stays)',
    via: 'ssh',
    destructive: true,
    pointOfNoReturn: true,
    commands: (env) => [plannedDialog(platformDialog(env.platform, 'reload'))],
    failure: (env) => ({
      state: `startup-config erased; the reload may or may not have started; the new config is on ${staged(env)}`,
      next: `${onConsole(env)} and look: still up with the old config? ${save(env)} undoes the erase. Rebooted? ${apply(env)}, then ${save(env)}. The old config is in the store at ${env.backup}.`,
      changed: true,
    }),
  },
  {
    id: 'boot',
    title: 'watch the boot on the console and answer the first-boot dialogs',
    via: 'console',
    commands: (env) => [
      {
        command: '(boot log)',
        dialog: [
          ...env.params.boot.answers.map((a) => ({
            question: `/${a.question}/`,
            answer: typeof a.answer === 'string' ? a.answer : '<secret>',
          })),
          ...plannedQuestions(env.platform.bootDialogs, userPassword(env)),
        ],
      },
    ],
    failure: (env) => ({ state: bootState(env), next: recoverFromConsole(env), changed: true }),
  },
  {
    id: 'login',
    title: (env) => `log in on the console as ${user(env)}`,
    via: 'console',
    commands: (env) => [{ command: `login: ${user(env)} / Password: ${userPassword(env)}` }],
    failure: (env) => ({
      state: bootState(env),
      next: `${recoverFromConsole(env)} The ${user(env)} password is the one the setup dialog was given (step param boot.adminPassword, else the host's password).`,
      changed: true,
    }),
  },
  {
    id: 'apply',
    title: 'merge the staged file into the running-config',
    via: 'console',
    commands: (env) => [{ command: rebuildOf(env).apply(staged(env)) }],
    failure: (env) => ({
      state: `running a partial config (${staged(env)} merged with errors, or not at all); startup-config empty, nothing saved`,
      next: `${onConsole(env)}; check \`${env.platform.runningConfig}\` against the errors in the console log, fix the lines by hand (or fix the file and ${apply(env)} again), then ${save(env)}.`,
      changed: true,
    }),
  },
  {
    id: 'save',
    title: 'save the running-config',
    via: 'console',
    commands: (env) => [plannedDialog(env.platform.save)],
    failure: (env) => ({
      state: 'running the new config; startup-config empty or partly written',
      next: `${onConsole(env)} and run ${save(env)} until it completes without an error`,
      changed: true,
    }),
  },
  {
    id: 'verify',
    title: 'check that the startup-config is the intended config',
    via: 'console',
    commands: (env) => [{ command: env.platform.startupConfig }],
    failure: (env) => ({
      state: 'running and saved, but the startup-config differs from the intended config (see details)',
      next: `${onConsole(env)}, compare \`${env.platform.startupConfig}\` with the rendered config (\`netops render\`), fix the differences and save.`,
      changed: true,
    }),
  },
  baselineStep('console'),
] as const satisfies readonly WorkflowStep[];

export type RebuildStepId =
  | 'publish'
  | 'stage'
  | 'check-staged'
  | 'backup-before'
  | 'console-check'
  | 'erase'
  | 'reload'
  | 'boot'
  | 'login'
  | 'apply'
  | 'save'
  | 'verify'
  | 'backup-after';
