/**
 * `startup-config`: installs a new configuration from a file or a template. IOS copies it into
 * startup-config (or replaces the running config), NX-OS goes the only way a Nexus 7000 allows:
 * stage on bootflash:, write erase, reload, and finish on the console through the terminal server.
 * Always destructive (it replaces the saved configuration), so it runs only with --yes or
 * `confirm: true`; `--plan` shows every command, the point of no return and the diff.
 */
import path from 'node:path';
import { runIos } from './startup-config/ios.js';
import { runNxos } from './startup-config/nxos.js';
import { startupConfigParams, type StartupConfigParams } from './startup-config/params.js';
import { checkStartupConfig, planStartupConfig } from './startup-config/plan.js';
import { renderConfig, resolveTemplateSecrets } from './startup-config/source.js';
import { checkSource, stepEnv, strategyOf } from './startup-config/strategy.js';
import { serverFor } from './startup-config/device-ops.js';
import { storeSettings } from './resources/job-store.js';
import { defineTask, type StepOutcome, type TaskContext } from './task.js';

export const startupConfig = defineTask({
  name: 'startup-config',
  summary:
    'install a startup-config from a file or template (IOS copy/replace; NX-OS write erase + reload via the console)',
  params: startupConfigParams,
  destructive: () => true,
  check: (host, p: StartupConfigParams, job) => void checkStartupConfig(host, p, job),
  plan: (host, p: StartupConfigParams, job) => planStartupConfig(host, p, job),
  run: runStartupConfig,
});

async function runStartupConfig(ctx: TaskContext, params: StartupConfigParams): Promise<StepOutcome> {
  const { host } = ctx;
  const strategy = strategyOf(host);
  const secrets = await resolveTemplateSecrets(params, (ref) => ctx.secret(ref));
  const rendered = renderConfig(host, params, ctx.job.dir, secrets);
  // Again with the secrets' values: one read from a masked file would be a placeholder.
  checkSource(host, params, rendered);
  const served = await serverFor(ctx);
  const env = stepEnv(host, params, {
    server: served.server,
    bytes: Buffer.byteLength(rendered.text),
    storeDir: ctx.job.settings['store'] ? path.resolve(ctx.job.dir, storeSettings(ctx).dir) : undefined,
  });
  const run = { ctx, params, env, served, text: rendered.text };
  const common = { strategy, source: rendered.source, file: env.file, bytes: env.bytes };
  if (strategy === 'nxos') {
    const result = await runNxos(run);
    return {
      status: 'changed',
      summary: `installed ${rendered.source} (${env.bytes} bytes) by write erase + reload: installed and verified; stored as the new baseline`,
      data: { ...common, ...result, verified: { extra: result.verified.extra.length } },
    };
  }
  const result = await runIos(run);
  const how = params.mode === 'replace' ? 'configure replace' : 'copy to startup-config';
  const baseline = result.steps.some((s) => s.id === 'backup-after')
    ? 'installed and verified; stored as the new baseline'
    : 'installed and verified in startup-config; running-config unchanged until a reload, so the stored baseline is unchanged';
  return {
    status: 'changed',
    summary: `installed ${rendered.source} (${env.bytes} bytes) by ${how}${params.reload ? ' and reload' : ''}: ${baseline}`,
    data: { ...common, steps: result.steps, verified: { extra: result.verified.extra.length } },
  };
}
