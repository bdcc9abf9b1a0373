/**
 * `startup-config`: installs a new configuration from a file or a template, the way the host's
 * platform says (its `startupConfigWorkflow`): in place (IOS copies it into startup-config or
 * replaces the running config), or by a rebuild on the console (a Nexus 7000: stage on flash, erase,
 * reload, finish on the console through the terminal server). Always destructive (it replaces the
 * saved configuration), so it runs only with --yes or `confirm: true`; `--plan` shows every command,
 * the point of no return and the diff.
 */
import { startupConfigParams, type StartupConfigParams } from './startup-config/params.js';
import { checkStartupConfig, planStartupConfig } from './startup-config/plan.js';
import { defineTask, lazyRun } from './task.js';

export const startupConfig = defineTask({
  name: 'startup-config',
  summary:
    'install a startup-config from a file or template (IOS copy/replace; NX-OS write erase + reload via the console)',
  params: startupConfigParams,
  destructive: () => true,
  usesHostedTftp: () => true,
  check: (host, p: StartupConfigParams, job) => void checkStartupConfig(host, p, job),
  plan: (host, p: StartupConfigParams, job) => planStartupConfig(host, p, job),
  run: lazyRun(() => import('./startup-config/run.js')),
});
