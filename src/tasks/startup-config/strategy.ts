/**
 * Which workflow a host gets (by platform) and the values its steps are described with, shared by
 * the plan and the run so both name the same file, server and backup.
 */
import path from 'node:path';
import type { Host } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import { platformNamed } from '../../platforms/registry.js';
import { configPath } from '../../store/paths.js';
import { iosSteps } from './ios-steps.js';
import { nxosSteps } from './nxos-steps.js';
import type { StartupConfigParams } from './params.js';
import { refuseSecretPlaceholders } from './placeholder-guard.js';
import { describeConsole, type StepEnv, type WorkflowStep } from './sequence.js';
import type { RenderedConfig } from './source.js';

export type Strategy = 'ios' | 'nxos';

export function strategyOf(host: Host): Strategy {
  const platform = platformNamed(host.platform, host.name);
  if (platform.name === 'ios' || platform.name === 'nxos') return platform.name;
  throw new NetopsError(
    'CONFIG_INVALID',
    `startup-config has no workflow for platform ${platform.name} (${host.name})`,
    {
      hint: 'Limit the step to ios and nxos hosts (e.g. `limit: [platform:ios, platform:nxos]`).',
      host: host.name,
    },
  );
}

export function stepsFor(host: Host, params: StartupConfigParams): readonly WorkflowStep[] {
  return strategyOf(host) === 'nxos' ? nxosSteps : iosSteps(params);
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
 * rendered for this host), and a `configure replace` source that is not a complete config.
 */
export function checkSource(host: Host, params: StartupConfigParams, rendered: RenderedConfig): void {
  const rules = platformNamed(host.platform, host.name).configRules;
  refuseSecretPlaceholders(host, rendered.source, rendered.raw, rules);
  if (params.template !== undefined) {
    refuseSecretPlaceholders(host, `${rendered.source} (rendered for ${host.name})`, rendered.text, rules);
  }
  const last = rendered.text.trimEnd().split('\n').at(-1)?.trim();
  if (strategyOf(host) === 'ios' && params.mode === 'replace' && last !== 'end') {
    throw new NetopsError(
      'CONFIG_INVALID',
      `${host.name}: configure replace needs a complete config ending in "end"`,
      {
        hint: 'End the file or template with a line `end` (IOS refuses to replace with a partial config).',
        host: host.name,
      },
    );
  }
}
