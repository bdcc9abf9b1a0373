/**
 * Every platform a host can name: the built-in ones, one line each, and any a program adds with
 * `registerPlatform` (one call; the inventory accepts the name from then on, and the tasks find its
 * capabilities in its spec).
 */
import { NetopsError } from '../core/errors.js';
import type { SysDescrPattern } from '../snmp/sysdescr.js';
import { checkPlatformSpec } from './check-spec.js';
import { frr } from './frr/index.js';
import { ios } from './ios/index.js';
import { nxos } from './nxos/index.js';
import type { PlatformSpec } from './spec.js';

const registered: Record<string, PlatformSpec> = {
  ios,
  nxos,
  frr,
};

/** The registry as a lookup by name; it sees platforms registered later too. */
export const platforms: Readonly<Record<string, PlatformSpec>> = registered;

/** Adds a platform; a spec whose name is taken or whose parts do not fit together is refused. */
export function registerPlatform(spec: PlatformSpec): PlatformSpec {
  const taken = registered[spec.name];
  if (taken === spec) return spec;
  if (taken) {
    throw new NetopsError('CONFIG_INVALID', `a platform named "${spec.name}" is already registered`, {
      hint: `Give the new platform a name none of ${Object.keys(registered).join(', ')} has.`,
    });
  }
  checkPlatformSpec(spec);
  registered[spec.name] = spec;
  return spec;
}

export function platformNamed(name: string | undefined, host?: string): PlatformSpec {
  const platform = name === undefined ? undefined : registered[name];
  if (platform) return platform;
  throw new NetopsError(
    'CONFIG_INVALID',
    `${host ?? 'host'} has ${name === undefined ? 'no platform' : `unknown platform "${name}"`}`,
    {
      hint: `Set \`platform\` to one of: ${Object.keys(registered).join(', ')}.`,
      ...(host === undefined ? {} : { host }),
    },
  );
}

/**
 * The sysDescr patterns of every platform, those of `first` (the host's own platform) ahead: a host
 * is read with its own platform's patterns, and a host without one still gets a name for its OS.
 */
export function sysDescrPatterns(first?: string): SysDescrPattern[] {
  const own = first === undefined ? undefined : registered[first];
  const rest = Object.values(registered).filter((p) => p !== own);
  return [own, ...rest].flatMap((p) => p?.sysDescr ?? []);
}
