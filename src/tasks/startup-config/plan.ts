/**
 * What `--plan` prints for one host: the source and its size, every step with the exact commands
 * and the questions we expect and answer, the point of no return, and the rendered config's diff
 * against the last backup in the job's store (a plan contacts nothing, so the device's current
 * running-config is not fetched; the plan says so). Secrets never appear: template secrets render
 * as placeholders and the diff is masked with the platform's secret rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../config/model.js';
import { isNetopsError } from '../../core/errors.js';
import { configPath } from '../../store/paths.js';
import { storeSettingsSchema } from '../../store/settings.js';
import { plannedServers } from '../resources/job-tftp.js';
import type { JobSettings, PlanContext } from '../task.js';
import { maskedDiff } from './compare.js';
import type { StartupConfigParams } from './params.js';
import { checkSource, stepEnv, stepsFor, workflowOf } from './host-workflow.js';
import { checkInstallServer } from './install-server.js';
import { pointOfNoReturn, titleOf, type StepEnv, type WorkflowStep } from './sequence.js';
import { renderConfig, type RenderedConfig } from './source.js';

export const pointOfNoReturnBanner =
  '=== POINT OF NO RETURN: from the next step on, the device cannot go back to its old config by itself ===';

/**
 * The step's input for this host, checked without contacting anything: a platform with a workflow,
 * a source that renders, holds no placeholder of a masked backup and suits the install mode, and a
 * TFTP server address the device can be told.
 * `netops run` calls it for every host before planning or running (exit 2 on a refusal).
 */
export function checkStartupConfig(
  host: Host,
  params: StartupConfigParams,
  job: PlanContext,
): RenderedConfig {
  stepsFor(host, params);
  const rendered = renderConfig(host, params, job.dir);
  checkSource(host, params, rendered);
  checkInstallServer(host, job.settings, 'startup-config');
  return rendered;
}

export function planStartupConfig(host: Host, params: StartupConfigParams, job: PlanContext): string[] {
  let steps: readonly WorkflowStep[];
  let rendered;
  try {
    rendered = checkStartupConfig(host, params, job);
    steps = stepsFor(host, params);
  } catch (error) {
    if (!isNetopsError(error)) throw error;
    return [`cannot plan ${host.name}: ${error.message}`, `  ${error.hint}`];
  }
  const storeDir = storeFolder(job);
  const env = stepEnv(host, params, {
    server: advertisedServer(host, job.settings),
    bytes: Buffer.byteLength(rendered.text),
    storeDir,
  });
  const lines = [
    `startup-config ${host.name}: ${env.platform.name}: ${how(env)}`,
    ...timeLimitWarning(host, params, job),
    `source: ${rendered.source}${params.template ? ' (template)' : ''}, ${env.bytes} bytes, served as ${env.file}`,
    ...formatSteps(steps, env),
    ...diffLines(host, rendered.text, env, storeDir),
  ];
  return lines;
}

/** The workflow in one line, with the platform's own commands. */
function how(env: StepEnv): string {
  const { platform, params } = env;
  const workflow = workflowOf(env.host);
  if (workflow.kind === 'rebuild-on-console') {
    return `stage on ${workflow.flash}, ${platform.erase?.command}, ${platform.reload?.command}, then finish on the console ${env.console}`;
  }
  return `${params.mode === 'replace' ? 'configure replace' : 'copy to startup-config'}${params.reload ? ', then reload' : ''}`;
}

export function formatSteps(steps: readonly WorkflowStep[], env: StepEnv): string[] {
  const ponr = pointOfNoReturn(steps);
  const lines: string[] = [];
  steps.forEach((step, i) => {
    if (i === ponr) lines.push(pointOfNoReturnBanner);
    const mark = step.destructive ? '  [destructive]' : '';
    lines.push(`${String(i + 1).padStart(2)}. [${step.via}] ${titleOf(step, env)}${mark}`);
    for (const c of step.commands(env)) {
      lines.push(`      ${step.via === 'netops' ? '' : '> '}${c.command}`);
      for (const d of c.dialog ?? []) {
        lines.push(`        ? ${d.question}  -> ${d.answer === '' ? '<RETURN>' : d.answer}`);
      }
    }
  });
  if (ponr < 0) lines.push('(no point of no return: the running config is not touched)');
  return lines;
}

function diffLines(host: Host, text: string, env: StepEnv, storeDir: string | undefined): string[] {
  const stored = storeDir ? path.join(storeDir, configPath(host.name)) : undefined;
  if (!stored || !existsSync(stored)) {
    return [
      `diff: no stored backup of ${host.name}${storeDir ? ` in ${storeDir}` : ' (the job has no store)'}; a plan contacts nothing, so the running-config is not fetched`,
    ];
  }
  const diff = maskedDiff(
    { label: `${configPath(host.name)} (last stored backup)`, text: readFileSync(stored, 'utf8') },
    { label: `${env.file} (rendered)`, text },
    env.platform.configRules,
  );
  return [
    `diff against the last stored backup ${stored} (a plan contacts nothing; the device's running-config may have changed since):`,
    ...(diff.includes('@@') ? diff.split('\n').map((l) => `  ${l}`) : ['  (no differences)']),
  ];
}

/** The runner cuts a step at the job's limit: a Nexus cut mid-boot is left erased. */
function timeLimitWarning(host: Host, params: StartupConfigParams, job: PlanContext): string[] {
  const needs = workflowOf(host).kind === 'rebuild-on-console' || params.reload;
  const needMs = (params.timeouts.boot + 3 * params.timeouts.copy) * 1000;
  if (!needs || job.stepTimeoutMs === undefined || job.stepTimeoutMs >= needMs) return [];
  return [
    `WARNING: the job's step time limit (${job.stepTimeoutMs / 1000}s) is shorter than this sequence may take (boot ${params.timeouts.boot}s + copies): set \`timeouts: { step: ${Math.ceil(needMs / 60_000)}m }\` in the job, or the run may be cut after the reload`,
  ];
}

function storeFolder(job: PlanContext): string | undefined {
  const parsed = storeSettingsSchema.safeParse(job.settings['store']);
  return parsed.success ? path.resolve(job.dir, parsed.data.dir) : undefined;
}

/** The server address the host will be told, chosen as the run chooses it (IPv4 first for a name). */
function advertisedServer(host: Host, settings: JobSettings): string {
  return plannedServers(host, settings)[0]!.server;
}
