/**
 * The nftables side of an impairment, in the device's network namespace: random loss with `numgen`
 * (towards the device in prerouting, before it sees the packet; from the device in the uplink's netdev
 * egress hook, after the relay), and the marks that steer a direction's packets through the relay.
 * Neighbour discovery is never lost or relayed: a link that cannot resolve neighbours is down, not lossy.
 */
import type { DirectionImpairment } from './impairment.js';

/** TUN devices of the relay, route tables and packet marks, per direction. */
export const relayLinks = {
  toDevice: { device: 'imp-in', mark: 0x6e6f0001, table: 28001, rulePref: 10 },
  fromDevice: { device: 'imp-out', mark: 0x6e6f0002, table: 28002, rulePref: 11 },
} as const;

/** The lab's table in the device namespace (one name in the inet and the netdev family). */
export const nftTableName = (owner: string): string => `netops_${owner}`;

export interface NftPlan {
  readonly uplink: string;
  readonly toDevice?: DirectionImpairment;
  readonly fromDevice?: DirectionImpairment;
  /** Directions whose packets go through the relay. */
  readonly relayed: { readonly toDevice: boolean; readonly fromDevice: boolean };
}

const neighbourDiscovery =
  'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert, nd-redirect } return';

/** `numgen random mod 10000 < N drop`: loss in steps of 0.01 %. */
const lossRule = (percent: number) => `numgen random mod 10000 < ${Math.round(percent * 100)} drop`;

function inetChains(plan: NftPlan): string[] {
  const iif = `iifname "${plan.uplink}"`;
  const oif = `oifname "${plan.uplink}"`;
  const lossIn = plan.toDevice?.lossPercent ?? 0;
  const toDevice = [
    ...(lossIn > 0 ? [`${iif} meta protocol { ip, ip6 } ${lossRule(lossIn)}`] : []),
    ...(plan.relayed.toDevice
      ? [`${iif} fib daddr type local meta mark set ${hex(relayLinks.toDevice.mark)}`]
      : []),
  ];
  const fromDevice = plan.relayed.fromDevice
    ? [`${oif} fib daddr type unicast meta mark set ${hex(relayLinks.fromDevice.mark)}`]
    : [];
  return [
    ...chain('to_device', 'type filter hook prerouting priority mangle', [
      `${iif} ${neighbourDiscovery}`,
      ...toDevice,
    ]),
    // A route chain: a mark set here makes the kernel route the packet again, now to the relay.
    ...chain('from_device', 'type route hook output priority mangle', [
      `${oif} ${neighbourDiscovery}`,
      ...fromDevice,
    ]),
  ];
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** A base chain, or nothing when it has only its neighbour-discovery exemption (the first rule). */
function chain(name: string, hook: string, rules: readonly string[]): string[] {
  if (rules.length <= 1) return [];
  return [`  chain ${name} {`, `    ${hook}; policy accept;`, ...rules.map((r) => `    ${r}`), '  }'];
}

/**
 * The whole ruleset file for `nft -f`: the lab's tables are deleted and written again in one
 * transaction (the `table` lines make the deletes valid when a table does not exist yet).
 */
export function nftRuleset(table: string, plan: NftPlan | undefined): string {
  const lines = [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table netdev ${table}`,
    `delete table netdev ${table}`,
  ];
  if (!plan) return `${lines.join('\n')}\n`;
  const inet = inetChains(plan);
  if (inet.length > 0) lines.push(`table inet ${table} {`, ...inet, '}');
  const lossOut = plan.fromDevice?.lossPercent ?? 0;
  if (lossOut > 0)
    lines.push(
      `table netdev ${table} {`,
      ...chain('from_device_loss', `type filter hook egress device "${plan.uplink}" priority filter`, [
        neighbourDiscovery,
        `meta protocol { ip, ip6 } ${lossRule(lossOut)}`,
      ]),
      '}',
    );
  return `${lines.join('\n')}\n`;
}
