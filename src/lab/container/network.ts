/**
 * The lab's own podman network (never podman's default 10.88/16): `--internal`, so nothing is
 * masqueraded and containers get no default route (no way out), with the host's own addresses on
 * its bridge added by the lab (an internal network gives the bridge none), so netops on the host
 * reaches every device over both families. With podman's CNI backend the network's plugin list
 * loses `firewall` and `portmap`: an internal network needs neither, and the firewall plugin would
 * leave iptables-nft tables behind on the host after the network is gone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import { normalizeAddress } from '../../net/address.js';
import { ipBatch, run } from '../netns/command.js';
import type { DualStack } from '../netns/addressing.js';
import { freeSlot, labNetwork, type LabNetwork } from './addressing.js';
import { labLabel, podman } from './podman.js';

const cniConfigDir = '/etc/cni/net.d';

interface InspectedNetwork {
  readonly name: string;
  readonly network_interface?: string;
  readonly subnets?: readonly { readonly subnet: string }[];
}

async function inspectNetworks(names: readonly string[]): Promise<InspectedNetwork[]> {
  if (names.length === 0) return [];
  const { stdout } = await podman(['network', 'inspect', ...names], { allowFailure: true });
  return stdout.trim() ? (JSON.parse(stdout) as InspectedNetwork[]) : [];
}

/** Subnets every podman network on the host uses, normalized (`2001:db8:c0::/64`). */
export async function usedSubnets(): Promise<Set<string>> {
  const { stdout } = await podman(['network', 'ls', '--format', '{{.Name}}']);
  const networks = await inspectNetworks(stdout.split('\n').filter(Boolean));
  const normal = (cidr: string) => {
    const [address = '', prefix] = cidr.split('/');
    return `${normalizeAddress(address) ?? address}/${prefix}`;
  };
  return new Set(networks.flatMap((n) => (n.subnets ?? []).map((s) => normal(s.subnet))));
}

/** podman's refusal of a subnet another network (or an address of the host) already has. */
const subnetTaken = /subnet \S+ is already used/;

/**
 * Creates the lab's network in the first free slot, atomically: podman creates networks under its
 * own lock and refuses a subnet in use, so when two labs pick the same slot at once, the one
 * refused picks again past it. `prepare` runs for each slot tried, before its network is created
 * (the caller records the lab first); what it returned for the slot taken is the result.
 */
export async function claimLabNetwork<T>(
  name: string,
  labId: string,
  prepare: (network: LabNetwork) => Promise<T>,
): Promise<T> {
  const refused = new Set<number>();
  for (;;) {
    const slot = freeSlot(await usedSubnets(), refused);
    if (slot === undefined)
      throw new NetopsError(
        'LAB_FAILED',
        'every container lab network slot (198.18.128-159.0/24) is in use',
        {
          hint: 'Take a lab down (`netops lab down --dir DIR`), or remove stale podman networks.',
        },
      );
    const network = labNetwork(slot);
    const prepared = await prepare(network);
    if (await createLabNetwork(name, labId, network)) return prepared;
    refused.add(slot);
  }
}

async function networkBackend(): Promise<string> {
  const { stdout } = await podman(['info', '--format', '{{.Host.NetworkBackend}}'], { allowFailure: true });
  return stdout.trim();
}

/** Drops the firewall and portmap plugins from a CNI network's config (see the file comment). */
async function trimCniPlugins(name: string): Promise<void> {
  const file = path.join(cniConfigDir, `${name}.conflist`);
  const config = JSON.parse(await readFile(file, 'utf8')) as { plugins: { type: string }[] };
  config.plugins = config.plugins.filter((p) => p.type !== 'firewall' && p.type !== 'portmap');
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** Creates the network; false when podman refuses because its subnet is taken meanwhile. */
async function createLabNetwork(name: string, labId: string, network: LabNetwork): Promise<boolean> {
  const args = [
    ...['network', 'create', '--internal', '--disable-dns', '--label', `${labLabel}=${labId}`],
    ...['--subnet', network.subnet.ipv4, '--gateway', network.gateway.ipv4],
    ...['--ipv6', '--subnet', network.subnet.ipv6, '--gateway', network.gateway.ipv6],
    name,
  ];
  const created = await podman(args, { allowFailure: true });
  if (created.code !== 0 && subnetTaken.test(created.stderr)) return false;
  if (created.code !== 0)
    throw new NetopsError('LAB_FAILED', `podman ${args.join(' ')} failed: ${created.stderr.trim()}`, {
      hint: 'Run `netops lab doctor --mode container`.',
    });
  if ((await networkBackend()) === 'cni') await trimCniPlugins(name);
  return true;
}

/** The bridge of a network: it exists once a container joined it. */
export async function bridgeOf(name: string): Promise<string | undefined> {
  return (await inspectNetworks([name]))[0]?.network_interface;
}

export interface HostRoute {
  /** Routed through this device address (Loopback0), or onto the bridge with no next hop (unrouted). */
  readonly via?: string;
  readonly to: string;
}

/**
 * The host's side of the bridge: its gateway addresses and routes to the devices' loopbacks. All of
 * it sits on the bridge, so it goes when the network (and with it the bridge) is removed.
 */
export async function attachHost(
  bridge: string,
  network: LabNetwork,
  routes: readonly HostRoute[],
): Promise<void> {
  const { stdout } = await run('ip', ['-o', 'addr', 'show', 'dev', bridge]);
  const has = (address: string) => stdout.includes(` ${address}/`);
  const gateway: DualStack = network.gateway;
  await ipBatch(undefined, [
    ...(has(gateway.ipv4) ? [] : [`addr add ${gateway.ipv4}/24 dev ${bridge}`]),
    ...(has(gateway.ipv6) ? [] : [`addr add ${gateway.ipv6}/64 dev ${bridge} nodad`]),
    ...routes.map(
      (r) =>
        `route replace ${r.to}/${r.to.includes(':') ? 128 : 32} ${r.via ? `via ${r.via} ` : ''}dev ${bridge}`,
    ),
  ]);
}

export async function removeNetworks(names: readonly string[]): Promise<void> {
  if (names.length > 0) await podman(['network', 'rm', '--force', ...names], { allowFailure: true });
}
