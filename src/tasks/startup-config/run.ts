/**
 * What `startup-config` does on a device (the definition, light enough for `--plan`, is
 * tasks/startup-config.ts): render the source, serve it, and run the platform's workflow.
 */
import path from 'node:path';
import type { StartupConfigWorkflow } from '../../platforms/startup-config.js';
import { serverFor } from './device-ops.js';
import { checkSource, stepEnv, workflowOf } from './host-workflow.js';
import { runInPlace } from './in-place.js';
import type { StartupConfigParams } from './params.js';
import { runRebuild } from './rebuild.js';
import type { Served } from './device-ops.js';
import type { StepEnv } from './sequence.js';
import { renderConfig, resolveTemplateSecrets, type RenderedConfig } from './source.js';
import { storeSettings } from '../resources/job-store.js';
import type { StepOutcome, TaskContext } from '../task.js';

/** What one workflow run needs: the host's values, the served file and the rendered text. */
interface Install {
  readonly ctx: TaskContext;
  readonly params: StartupConfigParams;
  readonly env: StepEnv;
  readonly served: Served;
  readonly rendered: RenderedConfig;
}

export async function run(ctx: TaskContext, params: StartupConfigParams): Promise<StepOutcome> {
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
