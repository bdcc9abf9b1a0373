/**
 * A container lab as a containerlab topology, for users who deploy labs with containerlab: every
 * container the lab runs becomes a `linux` node with the same image, command, mounts, environment
 * and management addresses, on a management network with the lab's own prefixes; links between
 * devices become veth links (`eth1`, `eth2`, ... in the order the links are listed). The file is
 * checked against the project's containerlab schema before it is written.
 */
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../core/atomic-write.js';
import {
  checkContainerlabTopology,
  containerlabVersion,
  type ContainerlabNode,
  type ContainerlabTopology,
} from './containerlab-schema.js';

export interface ExportedMount {
  readonly host: string;
  readonly container: string;
  readonly readOnly?: boolean;
}

/** One container of the lab, as the lab itself runs it. */
export interface ExportedContainer {
  /** Node name: the device name, or the lab's service name (`terminal-server`). */
  readonly name: string;
  readonly image: string;
  /** What it is (`ios`, `nxos`, `frr`, `terminal-server`): the node's containerlab group. */
  readonly role: string;
  readonly ipv4: string;
  readonly ipv6: string;
  /** The command after the image's entrypoint. @default the image's CMD */
  readonly command?: readonly string[];
  readonly mounts?: readonly ExportedMount[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface ContainerlabSource {
  /** The lab id: the topology's name and the value of every node's `netops.lab` label. */
  readonly lab: string;
  readonly network: {
    readonly name: string;
    readonly ipv4Subnet: string;
    readonly ipv6Subnet: string;
    /** The host's addresses on the network, where netops reaches the devices from. */
    readonly ipv4Gateway: string;
    readonly ipv6Gateway: string;
  };
  readonly containers: readonly ExportedContainer[];
  /** Point-to-point links between containers, by name. */
  readonly links?: readonly (readonly [string, string])[];
}

/** One argument as a POSIX shell word (containerlab splits `cmd` the way a shell would). */
const shellWord = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function node(container: ExportedContainer, lab: string): ContainerlabNode {
  const env = container.env ?? {};
  return {
    kind: 'linux',
    image: container.image,
    'image-pull-policy': 'never',
    group: container.role,
    labels: { 'netops.lab': lab, 'netops.role': container.role },
    'mgmt-ipv4': container.ipv4,
    'mgmt-ipv6': container.ipv6,
    ...(Object.keys(env).length ? { env: { ...env } } : {}),
    ...(container.mounts?.length
      ? { binds: container.mounts.map((m) => `${m.host}:${m.container}${m.readOnly ? ':ro' : ''}`) }
      : {}),
    ...(container.command?.length ? { cmd: container.command.map(shellWord).join(' ') } : {}),
  };
}

/** Brief-form links, each end on the next free `ethN` of its node (eth0 is management). */
function links(pairs: readonly (readonly [string, string])[]): { endpoints: [string, string] }[] {
  const next = new Map<string, number>();
  const iface = (name: string) => {
    const n = (next.get(name) ?? 0) + 1;
    next.set(name, n);
    return `${name}:eth${n}`;
  };
  return pairs.map(([a, b]) => ({ endpoints: [iface(a), iface(b)] }));
}

export function containerlabTopology(source: ContainerlabSource): ContainerlabTopology {
  const { network } = source;
  const topology: ContainerlabTopology = {
    name: source.lab,
    mgmt: {
      network: network.name,
      'ipv4-subnet': network.ipv4Subnet,
      'ipv6-subnet': network.ipv6Subnet,
      'ipv4-gw': network.ipv4Gateway,
      'ipv6-gw': network.ipv6Gateway,
      // The lab's prefixes are documentation ranges: nothing outside the host should reach them.
      'external-access': false,
    },
    topology: {
      nodes: Object.fromEntries(source.containers.map((c) => [c.name, node(c, source.lab)])),
      ...(source.links?.length ? { links: links(source.links) } : {}),
    },
  };
  return checkContainerlabTopology(topology, `containerlab export of lab ${source.lab}`);
}

/** The topology as YAML, with a header saying where it came from and how to deploy it. */
export function containerlabYaml(source: ContainerlabSource): string {
  const header = [
    `# containerlab topology of netops lab ${source.lab} (netops lab export --containerlab;`,
    `# format of containerlab ${containerlabVersion}). The images are built by \`netops lab images build\`;`,
    '# deploy with: containerlab deploy -t THIS_FILE',
  ];
  return `${header.join('\n')}\n${stringify(containerlabTopology(source), { lineWidth: 0 })}`;
}

export async function writeContainerlabTopology(file: string, source: ContainerlabSource): Promise<void> {
  await writeFileAtomic(file, containerlabYaml(source));
}
