/**
 * The wiring, as `ip` batches: namespaces, the bridge in the management namespace, one veth per
 * attachment (device, terminal server, scale namespace) with its addresses, and the management
 * side's routes to each device's loopbacks. Nothing is created in the root namespace except the
 * namespace names themselves; no namespace gets a default route, so nothing leaves the lab.
 */
import { bridgePrefix, management, type DualStack } from './addressing.js';
import { ipBatch, run } from './command.js';

export const bridgeName = 'br0';
/** The attachment's interface inside its own namespace. */
export const uplinkName = 'eth0';

export interface Attachment {
  readonly namespace: string;
  /** The veth end in the management namespace (at most 15 characters). */
  readonly port: string;
  readonly addresses: DualStack;
  /** Addresses on the attachment's `lo`, each routed from the management side via `addresses`. */
  readonly loopbacks: readonly string[];
  /** Addresses on `lo` that nobody routes to (the IOS v4-in-v6 TFTP source). */
  readonly unrouted?: readonly string[];
  /** Prefixes behind the attachment (the scale namespace's device range). */
  readonly routed?: readonly string[];
}

const isV6 = (address: string) => address.includes(':');
const hostPrefix = (address: string) =>
  address.includes('/') ? address : `${address}/${isV6(address) ? 128 : 32}`;

/** Creates the namespaces (only their names live in the root namespace, under /run/netns). */
export async function addNamespaces(names: readonly string[]): Promise<void> {
  await ipBatch(
    undefined,
    names.map((name) => `netns add ${name}`),
  );
  // Addresses are ours alone: duplicate address detection would only delay IPv6 by a second or two.
  await Promise.all(
    names.map((name) =>
      run('ip', [
        'netns',
        'exec',
        name,
        'sysctl',
        '-q',
        '-w',
        'net.ipv6.conf.all.accept_dad=0',
        'net.ipv6.conf.default.accept_dad=0',
      ]),
    ),
  );
}

export function bridgeLines(): string[] {
  return [
    'link set lo up',
    `link add ${bridgeName} type bridge`,
    `link set ${bridgeName} up`,
    `addr add ${management.ipv4}/${bridgePrefix.ipv4} dev ${bridgeName}`,
    `addr add ${management.ipv6}/${bridgePrefix.ipv6} dev ${bridgeName} nodad`,
  ];
}

/** Lines for the management namespace: the veth and its bridge port. */
export function portLines(a: Attachment): string[] {
  return [
    `link add ${a.port} type veth peer name ${uplinkName} netns ${a.namespace}`,
    `link set ${a.port} master ${bridgeName}`,
    `link set ${a.port} up`,
  ];
}

/** Lines for the management namespace: routes to the loopbacks and prefixes behind an attachment. */
export function routeLines(a: Attachment): string[] {
  const via = (prefix: string) => (isV6(prefix) ? a.addresses.ipv6 : a.addresses.ipv4);
  return [
    ...a.loopbacks.map((address) => `route add ${hostPrefix(address)} via ${via(address)}`),
    ...(a.routed ?? []).map((prefix) => `route add ${prefix} via ${via(prefix)}`),
  ];
}

/** Lines for the attachment's own namespace: its uplink and loopback addresses, no default route. */
export function attachmentLines(a: Attachment): string[] {
  return [
    'link set lo up',
    `addr add ${a.addresses.ipv4}/${bridgePrefix.ipv4} dev ${uplinkName}`,
    `addr add ${a.addresses.ipv6}/${bridgePrefix.ipv6} dev ${uplinkName} nodad`,
    `link set ${uplinkName} up`,
    ...[...a.loopbacks, ...(a.unrouted ?? [])].map((address) => `addr add ${hostPrefix(address)} dev lo`),
  ];
}

/** Wires the management namespace and every attachment (one batch per namespace). */
export async function wire(managementNs: string, attachments: readonly Attachment[]): Promise<void> {
  await ipBatch(managementNs, [...bridgeLines(), ...attachments.flatMap(portLines)]);
  await Promise.all(attachments.map((a) => ipBatch(a.namespace, attachmentLines(a))));
  // Routes need their next hop on a link that is up, so they come after both ends are configured.
  await ipBatch(managementNs, attachments.flatMap(routeLines));
}

/** Namespaces that exist now, among `names`. */
export async function existingNamespaces(names: readonly string[]): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list'], { allowFailure: true });
  const present = new Set(stdout.split('\n').map((line) => line.split(' ')[0]));
  return names.filter((name) => present.has(name));
}

/** Deletes namespaces (their veths and the bridge go with them); missing ones are fine. */
export async function deleteNamespaces(names: readonly string[]): Promise<void> {
  const present = await existingNamespaces(names);
  await ipBatch(
    undefined,
    present.map((name) => `netns del ${name}`),
  );
}
