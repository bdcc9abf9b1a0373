/**
 * What a running container lab is, in the export's terms: from its state file alone (the images,
 * commands, mounts and addresses its containers were started with), so the topology names exactly
 * what `netops lab up --mode container` runs. Devices' BGP neighbours become links, one per pair.
 */
import type { ContainerlabSource, ExportedContainer } from './containerlab-export.js';
import type { ContainerLabState, RecordedLaunch } from './state.js';

function container(
  name: string,
  role: string,
  image: string,
  addresses: { ipv4: string; ipv6: string },
  launch: RecordedLaunch,
): ExportedContainer {
  return {
    name,
    role,
    image,
    ...addresses,
    command: launch.argv,
    // The configs the lab wrote name host paths, so each folder is mounted at the same path.
    mounts: launch.mounts.map((dir) => ({ host: dir, container: dir })),
    ...(launch.loAddresses.length ? { env: { NETOPS_LAB_ADDRESSES: launch.loAddresses.join(' ') } } : {}),
  };
}

/** Each BGP adjacency of the spec once, in spec order. */
function adjacencies(state: ContainerLabState): [string, string][] {
  const seen = new Set<string>();
  return state.spec.devices.flatMap((device) =>
    device.bgpNeighbors.flatMap((neighbor): [string, string][] => {
      const key = [device.name, neighbor].sort().join(' ');
      if (seen.has(key)) return [];
      seen.add(key);
      return [[device.name, neighbor]];
    }),
  );
}

export function containerlabSource(state: ContainerLabState): ContainerlabSource {
  const { network } = state;
  const devices = state.devices.map((d) => container(d.name, d.platform, d.image, d.addresses, d.launch));
  const ts = state.terminalServer;
  return {
    lab: state.id,
    network: {
      name: network.name,
      ipv4Subnet: network.subnet.ipv4,
      ipv6Subnet: network.subnet.ipv6,
      ipv4Gateway: network.gateway.ipv4,
      ipv6Gateway: network.gateway.ipv6,
    },
    containers: [
      ...devices,
      container('terminal-server', 'terminal-server', ts.image, network.terminalServer, ts.launch),
    ],
    links: adjacencies(state),
  };
}
