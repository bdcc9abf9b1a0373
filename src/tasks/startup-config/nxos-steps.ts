/**
 * The Nexus 7000 way to install a startup-config (device-reference.md §4.3-§4.6, §5): the device
 * refuses `copy bootflash:FILE startup-config`, so the file is staged on bootflash:, the config is
 * erased, the device reloads, and the rest happens on the console through the terminal server:
 * first-boot dialogs, login, `copy bootflash:FILE running-config`, `copy running-config
 * startup-config`. The reload is the point of no return.
 */
import { tftpUrl } from '../../platforms/spec.js';
import { baselineStep, publishStep, untouched, type StepEnv, type WorkflowStep } from './sequence.js';

const vrf = 'management';
const onConsole = (env: StepEnv) =>
  `Connect to the console (terminal server ${env.console}), log in as admin`;
const recoverFromConsole = (env: StepEnv) =>
  `${onConsole(env)}, then \`copy bootflash:${env.file} running-config\` and \`copy running-config startup-config\`. The old config is in the store at ${env.backup}.`;
const bootState = (env: StepEnv) =>
  `reloading or booted with an empty startup-config (erased); the new config is on bootflash:${env.file}, not applied`;

export const nxosSteps = [
  publishStep,
  {
    id: 'stage',
    title: 'copy the config to bootflash: over TFTP',
    via: 'ssh',
    commands: (env) => [
      { command: `copy ${tftpUrl({ server: env.server, file: env.file })} bootflash:${env.file} vrf ${vrf}` },
    ],
    failure: (env) =>
      untouched(
        `Check that ${env.host.name} reaches the TFTP server ${env.server} through VRF ${vrf}; a partial bootflash:${env.file} may be left (delete bootflash:${env.file}).`,
      ),
  },
  {
    id: 'check-staged',
    title: 'check the staged file: size, and MD5 where the release has it',
    via: 'ssh',
    commands: (env) => [{ command: 'dir bootflash:' }, { command: `show file bootflash:${env.file} md5sum` }],
    failure: (env) =>
      untouched(
        `bootflash:${env.file} is not the file we sent: delete it and run again (check free space with \`dir bootflash:\`).`,
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
    commands: () => [
      {
        command: 'write erase',
        dialog: [{ question: 'Do you wish to proceed anyway? (y/n)  [n]', answer: 'y' }],
      },
    ],
    failure: () => ({
      state: 'startup-config may be erased; running-config is unchanged',
      next: 'Over SSH or the console, run `copy running-config startup-config` to put the current config back before anything reloads the device.',
      changed: true,
    }),
  },
  {
    id: 'reload',
    title: 'reload (SSH goes away; the console stays)',
    via: 'ssh',
    destructive: true,
    pointOfNoReturn: true,
    commands: () => [
      {
        command: 'reload',
        dialog: [{ question: 'This command will reboot the system. (y/n)?  [n]', answer: 'y' }],
      },
    ],
    failure: (env) => ({
      state: `startup-config erased; the reload may or may not have started; the new config is on bootflash:${env.file}`,
      next: `${onConsole(env)} and look: still up with the old config? \`copy running-config startup-config\` undoes the erase. Rebooted? \`copy bootflash:${env.file} running-config\`, then \`copy running-config startup-config\`. The old config is in the store at ${env.backup}.`,
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
          { question: 'Abort Power On Auto Provisioning [...] (yes/skip/no)[no]:', answer: 'yes' },
          { question: 'Do you want to enforce secure password standard (yes/no) [y]:', answer: 'no' },
          { question: 'Enter the password for "admin":', answer: '<admin password>' },
          { question: 'Confirm the password for "admin":', answer: '<admin password>' },
          { question: 'Would you like to enter the basic configuration dialog (yes/no):', answer: 'no' },
        ],
      },
    ],
    failure: (env) => ({ state: bootState(env), next: recoverFromConsole(env), changed: true }),
  },
  {
    id: 'login',
    title: 'log in on the console as admin',
    via: 'console',
    commands: () => [{ command: 'login: admin / Password: <admin password>' }],
    failure: (env) => ({
      state: bootState(env),
      next: `${recoverFromConsole(env)} The admin password is the one the setup dialog was given (step param boot.adminPassword, else the host's password).`,
      changed: true,
    }),
  },
  {
    id: 'apply',
    title: 'merge the staged file into the running-config',
    via: 'console',
    commands: (env) => [{ command: `copy bootflash:${env.file} running-config` }],
    failure: (env) => ({
      state: `running a partial config (bootflash:${env.file} merged with errors, or not at all); startup-config empty, nothing saved`,
      next: `${onConsole(env)}; check \`show running-config\` against the errors in the console log, fix the lines by hand (or fix the file and \`copy bootflash:${env.file} running-config\` again), then \`copy running-config startup-config\`.`,
      changed: true,
    }),
  },
  {
    id: 'save',
    title: 'save the running-config',
    via: 'console',
    commands: () => [{ command: 'copy running-config startup-config' }],
    failure: (env) => ({
      state: 'running the new config; startup-config empty or partly written',
      next: `${onConsole(env)} and run \`copy running-config startup-config\` until it ends with "Copy complete."`,
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
      next: `${onConsole(env)}, compare \`show startup-config\` with the rendered config (\`netops render\`), fix the differences and save.`,
      changed: true,
    }),
  },
  baselineStep('console'),
] as const satisfies readonly WorkflowStep[];

export type NxosStepId = (typeof nxosSteps)[number]['id'];
