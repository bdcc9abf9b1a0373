/**
 * `startup-config`: installs a new configuration from a file or a template, the way the host's
 * platform says (its `startupConfigWorkflow`): in place (IOS copies it into startup-config or
 * replaces the running config), or by a rebuild on the console (a Nexus 7000: stage on flash, erase,
 * reload, finish on the console through the terminal server). Always destructive (it replaces the
 * saved configuration), so it runs only with --yes or `confirm: true`; `--plan` shows every command,
 * the point of no return and the diff.
 */
import path from 'node:path';
import type { StartupConfigWorkflow } from '../platforms/startup-config.js';
import { serverFor } from './startup-config/device-ops.js';
import { checkSource, stepEnv, workflowOf } from './startup-config/host-workflow.js';
import { runInPlace } from './startup-config/in-place.js';
import { startupConfigParams, type StartupConfigParams } from './startup-config/params.js';
import { checkStartupConfig, planStartupConfig } from './startup-config/plan.js';
import { runRebuild } from './startup-config/rebuild.js';
import type { Served } from './startup-config/device-ops.js';
import type { StepEnv } from './startup-config/sequence.js';
import { renderConfig, resolveTemplateSecrets, type RenderedConfig } from './startup-config/source.js';
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

/** What one workflow run needs: the host's values, the served file and the rendered text. */
interface Install {
  readonly ctx: TaskContext;
  readonly params: StartupConfigParams;
  readonly env: StepEnv;
  readonly served: Served;
  readonly rendered: RenderedConfig;
}

async function runStartupConfig(ctx: TaskContext, params: StartupConfigParams): Promise<StepOutcome> {
  const { host } = ctx;
  const workflow = workflowOf(host);
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
  return install(workflow, { ctx, params, env, served, rendered });
}

/** Runs the platform's workflow; the record's `strategy` names the platform whose workflow ran. */
async function install(workflow: StartupConfigWorkflow, run: Install): Promise<StepOutcome> {
  const { ctx, params, env, served, rendered } = run;
  const recorded = { strategy: env.platform.name, source: rendered.source, file: env.file, bytes: env.bytes };
  const common = { ctx, params, env, served, text: rendered.text };
  if (workflow.kind === 'rebuild-on-console') {
    const result = await runRebuild({ ...common, workflow });
    const how = `${env.platform.erase?.command} + ${env.platform.reload?.command}`;
    return {
      status: 'changed',
      summary: `installed ${rendered.source} (${env.bytes} bytes) by ${how}: installed and verified; stored as the new baseline`,
      data: { ...recorded, ...result, verified: { extra: result.verified.extra.length } },
    };
  }
  const result = await runInPlace({ ...common, workflow });
  const how = params.mode === 'replace' ? 'configure replace' : 'copy to startup-config';
  const baseline = result.steps.some((s) => s.id === 'backup-after')
    ? 'installed and verified; stored as the new baseline'
    : 'installed and verified in startup-config; running-config unchanged until a reload, so the stored baseline is unchanged';
  return {
    status: 'changed',
    summary: `installed ${rendered.source} (${env.bytes} bytes) by ${how}${params.reload ? ' and reload' : ''}: ${baseline}`,
    data: { ...recorded, steps: result.steps, verified: { extra: result.verified.extra.length } },
  };
}
