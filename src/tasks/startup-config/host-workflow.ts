/**
 * Which workflow a host gets (its platform's `startupConfigWorkflow` capability) and the values its
 * steps are described with, shared by the plan and the run so both name the same file, server and
 * backup.
 */
import path from 'node:path';
import type { Host } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import { platformNamed, platforms } from '../../platforms/registry.js';
import type { StartupConfigWorkflow } from '../../platforms/startup-config.js';
import { configPath } from '../../store/paths.js';
import { inPlaceSteps } from './in-place-steps.js';
import type { StartupConfigParams } from './params.js';
import { refuseSecretPlaceholders } from './placeholder-guard.js';
import { rebuildSteps } from './rebuild-steps.js';
import { describeConsole, type StepEnv, type WorkflowStep } from './sequence.js';
import type { RenderedConfig } from './source.js';

/** The host's platform's workflow; a platform without one is refused before anything is contacted. */
export function workflowOf(host: Host): StartupConfigWorkflow {
  const platform = platformNamed(host.platform, host.name);
  if (platform.startupConfigWorkflow) return platform.startupConfigWorkflow;
  const able = Object.values(platforms).filter((p) => p.startupConfigWorkflow);
  throw new NetopsError(
    'CONFIG_INVALID',
    `startup-config has no workflow for platform ${platform.name} (${host.name})`,
    {
      hint: `Limit the step to platforms that have one: ${able.map((p) => p.name).join(', ')} (e.g. \`limit: [${able.map((p) => `platform:${p.name}`).join(', ')}]\`).`,
      host: host.name,
    },
  );
}

export function stepsFor(host: Host, params: StartupConfigParams): readonly WorkflowStep[] {
  const workflow = workflowOf(host);
  return workflow.kind === 'rebuild-on-console' ? rebuildSteps : inPlaceSteps(workflow, params);
}

/** The file name on our TFTP server and the device's flash: lower case, as NX-OS lists it. */
export function stagedFileName(host: Host): string {
  return `netops-${host.name.toLowerCase()}.cfg`;
}

export interface EnvValues {
  readonly server: string;
  readonly bytes: number;
  /** The store folder (absolute or as the job names it), when the job has one. */
  readonly storeDir?: string | undefined;
}

export function stepEnv(host: Host, params: StartupConfigParams, values: EnvValues): StepEnv {
  return {
    host,
    platform: platformNamed(host.platform, host.name),
    params,
    server: values.server,
    file: stagedFileName(host),
    bytes: values.bytes,
    console: describeConsole(host),
    backup: values.storeDir
      ? path.join(values.storeDir, configPath(host.name))
      : 'the store (no `store` section in the job)',
  };
}

/**
 * What must not reach the device or what it would refuse, found before anything is contacted:
 * sanitizer placeholders of a masked backup (in the file or template as written, then in what it
 * rendered for this host), and a replace the platform cannot do or whose source is not a complete
 * config.
 */
export function checkSource(host: Host, params: StartupConfigParams, rendered: RenderedConfig): void {
  const rules = platformNamed(host.platform, host.name).configRules;
  refuseSecretPlaceholders(host, rendered.source, rendered.raw, rules);
  if (params.template !== undefined) {
    refuseSecretPlaceholders(host, `${rendered.source} (rendered for ${host.name})`, rendered.text, rules);
  }
  const workflow = workflowOf(host);
  // `mode` chooses between the ways of an in-place install; a rebuild has one way.
  if (workflow.kind !== 'install-in-place' || params.mode !== 'replace') return;
  const replace = workflow.replace;
  if (!replace) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `${host.name}: platform ${host.platform} cannot replace its running config`,
      {
        hint: 'Use `mode: copy` (and `reload: true` to run the new config) for this host.',
        host: host.name,
      },
    );
  }
  const last = rendered.text.trimEnd().split('\n').at(-1)?.trim();
  if (replace.lastLine !== undefined && last !== replace.lastLine) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `${host.name}: configure replace needs a complete config ending in "${replace.lastLine}"`,
      {
        hint: `End the file or template with a line \`${replace.lastLine}\` (the device refuses to replace with a partial config).`,
        host: host.name,
      },
    );
  }
}
