/**
 * The routing that puts the relay in a device's path, inside the device's namespace: a persistent
 * TUN device per relayed direction, a policy rule per direction (packets marked by the lab's nftables
 * table are routed into the TUN device) and the kernel settings a packet written back by the relay
 * needs to be routed on: forwarding, no reverse-path filter, local source addresses accepted on the
 * TUN device, and no early demultiplexing (an established TCP socket found early marks the packet as
 * local, and the kernel then refuses to forward it into the relay: the handshake would never finish).
 * The device's own addresses, links and main routes are not touched.
 */
import { run, type RunResult } from '../netns/command.js';
import type { Direction } from './impairment.js';
import { relayLinks } from './nft-ruleset.js';

/** Runs `argv` in the network namespace at `netns` (a path). */
export function inNetns(
  netns: string,
  argv: readonly string[],
  options: { readonly input?: string; readonly allowFailure?: boolean } = {},
): Promise<RunResult> {
  return run('nsenter', [`--net=${netns}`, '--', ...argv], options);
}

/** Namespace-wide settings the relay path changes; their values before are kept and restored. */
const namespaceSysctls = {
  'net.ipv4.ip_forward': '1',
  'net.ipv6.conf.all.forwarding': '1',
  'net.ipv4.ip_early_demux': '0',
  'net.ipv4.conf.all.rp_filter': '0',
};

/** The local table's rule moves from 0 to this preference, behind the relay's rules. */
const localRulePref = 100;

function ruleLines(directions: readonly Direction[]): string[] {
  return [
    `rule add pref ${localRulePref} lookup local`,
    'rule del pref 0 lookup local',
    ...directions.flatMap((d) => {
      const link = relayLinks[d];
      return [
        `rule add pref ${link.rulePref} fwmark 0x${link.mark.toString(16)} lookup ${link.table}`,
        `route add default dev ${link.device} table ${link.table}`,
      ];
    }),
  ];
}

/** Adds the relay path for `directions`; returns the namespace settings as they were. */
export async function addRelayPath(
  netns: string,
  directions: readonly Direction[],
): Promise<Record<string, string>> {
  const keys = Object.keys(namespaceSysctls);
  const before = await inNetns(netns, ['sysctl', '-n', ...keys]);
  const previous = Object.fromEntries(
    keys.map((key, i) => [key, before.stdout.split('\n')[i]?.trim() ?? '']),
  );
  const devices = directions.map((d) => relayLinks[d].device);
  await inNetns(netns, ['ip', '-batch', '-'], {
    input: `${devices.flatMap((dev) => [`tuntap add dev ${dev} mode tun`, `link set ${dev} up txqueuelen 10000`]).join('\n')}\n`,
  });
  const settings = {
    ...namespaceSysctls,
    ...Object.fromEntries(
      devices.flatMap((dev) => [
        [`net.ipv4.conf.${dev}.rp_filter`, '0'],
        [`net.ipv4.conf.${dev}.accept_local`, '1'],
      ]),
    ),
  };
  await inNetns(netns, ['sysctl', '-q', '-w', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)]);
  for (const family of ['-4', '-6'])
    await inNetns(netns, ['ip', family, '-batch', '-'], { input: `${ruleLines(directions).join('\n')}\n` });
  return previous;
}

/** Removes whatever part of the relay path exists (after a crash too) and restores `previous` settings. */
export async function removeRelayPath(
  netns: string,
  previous: Readonly<Record<string, string>> | undefined,
): Promise<void> {
  const links = Object.values(relayLinks);
  for (const family of ['-4', '-6']) {
    const rules = await inNetns(netns, ['ip', family, 'rule', 'show', 'pref', String(localRulePref)], {
      allowFailure: true,
    });
    const moved = /lookup local/.test(rules.stdout);
    const lines = [
      ...links.map((link) => `rule del pref ${link.rulePref}`),
      ...(moved ? ['rule add pref 0 lookup local', `rule del pref ${localRulePref} lookup local`] : []),
    ];
    await inNetns(netns, ['ip', family, '-force', '-batch', '-'], {
      input: `${lines.join('\n')}\n`,
      allowFailure: true,
    });
  }
  await inNetns(netns, ['ip', '-force', '-batch', '-'], {
    input: `${links.map((link) => `link del ${link.device}`).join('\n')}\n`,
    allowFailure: true,
  });
  const restore = Object.entries(previous ?? {}).filter(([, value]) => value !== '');
  if (restore.length > 0)
    await inNetns(netns, ['sysctl', '-q', '-w', ...restore.map(([k, v]) => `${k}=${v}`)]);
}
