/**
 * Privilege levels as a graph built from `parent` links (scrapli's `_build_priv_graph`): which level
 * a prompt shows, and the commands that walk from one level to another.
 */
import type { PlatformSpec, PrivilegeLevel } from './spec.js';

/** The level whose prompt the line shows, or undefined when it is none of them. */
export function levelOfPrompt(platform: PlatformSpec, line: string): PrivilegeLevel | undefined {
  return platform.privileges.find(
    (level) => level.prompt.test(line) && !(level.notContains ?? []).some((s) => line.includes(s)),
  );
}

export function levelNamed(platform: PlatformSpec, name: string): PrivilegeLevel {
  const level = platform.privileges.find((l) => l.name === name);
  if (!level) throw new Error(`platform ${platform.name} has no privilege level "${name}"`);
  return level;
}

export type PrivilegeStep =
  | { readonly direction: 'up'; readonly level: PrivilegeLevel }
  | { readonly direction: 'down'; readonly level: PrivilegeLevel };

/**
 * The steps from `from` to `to`: de-escalate to the nearest common ancestor, then escalate.
 * `up` steps name the level left, `down` steps the level entered (escalation goes "down" the tree).
 */
export function privilegePath(platform: PlatformSpec, from: string, to: string): PrivilegeStep[] {
  const ancestry = (name: string): PrivilegeLevel[] => {
    const chain: PrivilegeLevel[] = [];
    for (let level: PrivilegeLevel | undefined = levelNamed(platform, name); level;) {
      chain.push(level);
      level = level.parent === undefined ? undefined : levelNamed(platform, level.parent);
    }
    return chain;
  };
  const up = ancestry(from);
  const down = ancestry(to);
  const common = up.findIndex((level) => down.includes(level));
  const meet = down.indexOf(up[common] as PrivilegeLevel);
  return [
    ...up.slice(0, common).map((level) => ({ direction: 'up' as const, level })),
    ...down
      .slice(0, meet)
      .reverse()
      .map((level) => ({ direction: 'down' as const, level })),
  ];
}

/** Every prompt of the platform, for reads that end at whatever level the device is in. */
export function allPrompts(platform: PlatformSpec): RegExp[] {
  return platform.privileges.map((level) => level.prompt);
}
