/**
 * What `registerPlatform` checks before a spec joins the registry: the parts a session relies on
 * fit together, so a contributor's slip fails at registration with its name, not on a device.
 */
import { NetopsError } from '../core/errors.js';
import type { PlatformSpec } from './spec.js';

/** Inventory names and `--limit platform:NAME` patterns use it as typed. */
const platformName = /^[a-z][a-z0-9-]{0,31}$/;

export function checkPlatformSpec(spec: PlatformSpec): void {
  const problems = specProblems(spec);
  if (problems.length === 0) return;
  throw new NetopsError(
    'CONFIG_INVALID',
    `platform "${spec.name}" cannot be registered: ${problems.join('; ')}`,
    {
      hint: 'Fix the platform spec (docs/platforms.md lists what each field needs).',
      details: { problems },
    },
  );
}

function specProblems(spec: PlatformSpec): string[] {
  const levels = new Set(spec.privileges.map((level) => level.name));
  const problems: string[] = [];
  if (!platformName.test(spec.name)) problems.push(`the name must match ${String(platformName)}`);
  if (levels.size !== spec.privileges.length) problems.push('two privilege levels share a name');
  for (const level of spec.privileges) {
    if (level.parent !== undefined && !levels.has(level.parent))
      problems.push(`privilege level "${level.name}" has an unknown parent "${level.parent}"`);
    if (level.parent !== undefined && level.escalate === undefined)
      problems.push(`privilege level "${level.name}" says no command that enters it from "${level.parent}"`);
  }
  for (const field of ['defaultPrivilege', 'configPrivilege'] as const) {
    if (!levels.has(spec[field]))
      problems.push(`${field} "${spec[field]}" is not one of its privilege levels`);
  }
  if (spec.errorMarkers.length === 0) problems.push('errorMarkers is empty (a refused command would pass)');
  return problems;
}
