/**
 * The destructive lines of a `command` or `config` step on one host, from its platform's data; for a
 * plan without a host, on any platform. The runner refuses such a step unconfirmed before it
 * contacts anything; the plan names each line and what it does.
 */
import type { Host } from '../config/model.js';
import {
  findDestructiveCommands,
  findDestructiveConfig,
  managementInterfaceOf,
  type DestructiveFinding,
} from '../platforms/destructive.js';
import { platforms } from '../platforms/registry.js';
import type { PlatformSpec } from '../platforms/spec.js';

function platformsOf(host: Host | undefined): PlatformSpec[] {
  const own = host?.platform === undefined ? undefined : platforms[host.platform];
  return own ? [own] : Object.values(platforms);
}

function unique(findings: DestructiveFinding[]): DestructiveFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(`${f.index}`) && seen.add(`${f.index}`));
}

export function destructiveCommandsOn(
  host: Host | undefined,
  commands: readonly string[],
): DestructiveFinding[] {
  return unique(platformsOf(host).flatMap((platform) => findDestructiveCommands(platform, commands)));
}

export function destructiveConfigOn(host: Host | undefined, lines: readonly string[]): DestructiveFinding[] {
  return unique(
    platformsOf(host).flatMap((platform) =>
      findDestructiveConfig(platform, lines, host && managementInterfaceOf(host, platform)),
    ),
  );
}
