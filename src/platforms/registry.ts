/** Every platform a host can name, one line each. */
import { NetopsError } from '../core/errors.js';
import { frr } from './frr/index.js';
import { ios } from './ios/index.js';
import { nxos } from './nxos/index.js';
import type { PlatformSpec } from './spec.js';

export const platforms: Readonly<Record<string, PlatformSpec>> = {
  ios,
  nxos,
  frr,
};

export function platformNamed(name: string | undefined, host?: string): PlatformSpec {
  const platform = name === undefined ? undefined : platforms[name];
  if (platform) return platform;
  throw new NetopsError(
    'CONFIG_INVALID',
    `${host ?? 'host'} has ${name === undefined ? 'no platform' : `unknown platform "${name}"`}`,
    {
      hint: `Set \`platform\` to one of: ${Object.keys(platforms).join(', ')}.`,
      ...(host === undefined ? {} : { host }),
    },
  );
}
