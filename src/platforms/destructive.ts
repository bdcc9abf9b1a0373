/**
 * Which commands and configuration lines can hurt a device, read from the platform's data
 * (`destructiveCommands`, `destructiveConfig`): the `command` and `config` tasks ask these before
 * anything is contacted, so an unconfirmed `write erase` is refused with nothing sent.
 */
import type { Host } from '../config/model.js';
import type { DestructiveCommand, DestructiveConfigLine, PlatformSpec } from './spec.js';

/** A line that needs confirmation, or (`confirm: false`) only deserves a look in the plan. */
export interface DestructiveFinding {
  /** Where the line is in the step's list. */
  readonly index: number;
  readonly line: string;
  readonly effect: string;
  readonly confirm: boolean;
}

/** Cutting an interface off: destructive on the management interface, worth a look on any other. */
export const interfaceCutOffs: readonly DestructiveConfigLine[] = [
  { pattern: /^no\s+ip(v6)?\s+address\b/i, effect: 'removes the address of', interface: true },
  { pattern: /^shut(down)?$/i, effect: 'shuts down', interface: true },
];

export function destructiveCommand(platform: PlatformSpec, command: string): DestructiveCommand | undefined {
  const typed = command.trim();
  return platform.destructiveCommands.find((rule) => rule.pattern.test(typed));
}

export function findDestructiveCommands(
  platform: PlatformSpec,
  commands: readonly string[],
): DestructiveFinding[] {
  return commands.flatMap((line, index) => {
    const rule = destructiveCommand(platform, line);
    return rule ? [{ index, line, effect: rule.effect, confirm: true }] : [];
  });
}

/** The interface netops reaches the host through: `data.managementInterface`, else the platform's. */
export function managementInterfaceOf(host: Host, platform: PlatformSpec): string | undefined {
  const own = host.data['managementInterface'];
  return typeof own === 'string' && own.trim() !== '' ? own.trim() : platform.managementInterface;
}

/** `Gi0/0` names `GigabitEthernet0/0`: the type may be abbreviated, the numbers must be equal. */
export function sameInterface(a: string, b: string): boolean {
  const split = (name: string) => /^([a-z-]+)\s*(\d[\d/.:]*)$/i.exec(name.trim());
  const x = split(a);
  const y = split(b);
  if (!x || !y) return a.trim().toLowerCase() === b.trim().toLowerCase();
  const [tx, ty] = [x[1]!.toLowerCase(), y[1]!.toLowerCase()];
  return x[2] === y[2] && (tx.startsWith(ty) || ty.startsWith(tx));
}

/** Lines that open a section other than an interface: an interface's sub-commands end there. */
const otherSection =
  /^(router|line|vrf|route-map|ip(v6)? access-list|key chain|class-map|policy-map|control-plane|aaa group|tacacs server|radius server|crypto|vlan|exit|end)\b/i;

export function findDestructiveConfig(
  platform: PlatformSpec,
  lines: readonly string[],
  managementInterface: string | undefined,
): DestructiveFinding[] {
  const findings: DestructiveFinding[] = [];
  let inInterface: string | undefined;
  for (const [index, line] of lines.entries()) {
    const typed = line.trim();
    const opened = /^interface\s+(.+)$/i.exec(typed);
    if (opened) {
      inInterface = opened[1]!.trim();
      continue;
    }
    if (otherSection.test(typed)) inInterface = undefined;
    for (const rule of platform.destructiveConfig) {
      if (!rule.pattern.test(typed)) continue;
      if (!rule.interface) {
        findings.push({ index, line: typed, effect: rule.effect, confirm: true });
        continue;
      }
      if (inInterface === undefined) continue;
      const onManagement =
        managementInterface !== undefined && sameInterface(inInterface, managementInterface);
      if (onManagement) {
        findings.push({
          index,
          line: typed,
          effect: `${rule.effect} the management interface ${inInterface}: netops and the NOC may lose the device`,
          confirm: true,
        });
      } else if (managementInterface === undefined) {
        findings.push({
          index,
          line: typed,
          effect: `${rule.effect} ${inInterface}; if that is how the device is reached, it is cut off (set data.managementInterface to tell)`,
          confirm: false,
        });
      }
    }
  }
  return findings;
}

export function describeFinding(finding: DestructiveFinding): string {
  return `"${finding.line}" ${finding.effect}`;
}
