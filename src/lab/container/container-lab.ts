/**
 * `netops lab up --mode container`: every device of the lab spec is a container on the lab's own
 * podman network: ios/nxos as the simulator (netops-lab/sim), frr as real FRR, OpenSSH, telnetd and
 * snmpd (netops-lab/frr), plus a terminal server container with one console port per device. netops
 * runs on the host and reaches them over IPv4 and IPv6. Idempotent: a healthy lab with the same spec
 * is left alone; anything else recorded in the folder (a crashed lab) is removed first.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { consolePort, ipv4AsTopBits } from '../netns/addressing.js';
import type { ConsoleRelayLine } from '../netns/console-relay-main.js';
import type { DualStack } from '../netns/addressing.js';
import type { NetnsSpec } from '../netns/spec.js';
import { containerDeviceAddresses, containerLoopbackAddresses, maxDevices } from './addressing.js';
import { consoleSocket, frrDeviceArgv, simDeviceArgv, terminalServerArgv } from './device-files.js';
import { withLabImages } from './image-build.js';
import { impairContainerDevice } from './impair-container.js';
import type { ImageSources } from './images.js';
import { attachHost, bridgeOf, claimLabNetwork, type HostRoute } from './network.js';
import { waitContainersReady, type ContainerReadyCheck } from './readiness.js';
import { runContainer, type ContainerLaunch } from './run-container.js';
import {
  writeContainerState,
  type ContainerDeviceRecord,
  type RecordedLaunch,
  type ContainerLabState,
} from './state.js';
import { containerLabStatus, removeContainerLab } from './teardown.js';

export interface ContainerLabOptions {
  /** The lab folder: state file, per-device configs, keys and logs. */
  readonly dir: string;
  /** @default a new random id */
  readonly id?: string;
  /** Where the sim image's compiled lab and node come from. @default dist/ and this node */
  readonly images?: ImageSources;
  /** @default 120000 */
  readonly readyTimeoutMs?: number;
}

function checkSpec(spec: NetnsSpec): void {
  const problem = spec.scale
    ? 'scale: the container lab has one container per device; use --mode netns for a scale namespace'
    : spec.devices.length > maxDevices
      ? `${spec.devices.length} devices: a container lab holds at most ${maxDevices}`
      : spec.devices.length === 0
        ? 'no devices: the spec lists none'
        : undefined;
  if (problem)
    throw new NetopsError('CONFIG_INVALID', `lab spec: ${problem}`, {
      hint: 'Fix the spec; docs/lab-container.md lists what the container lab takes.',
    });
}

async function healthy(dir: string, spec: NetnsSpec): Promise<ContainerLabState | undefined> {
  const status = await containerLabStatus(dir);
  if (!status?.state.up || JSON.stringify(status.state.spec) !== JSON.stringify(spec)) return undefined;
  return status.devices.every((d) => d.running) && status.terminalServerRunning && status.networkExists
    ? status.state
    : undefined;
}

export async function containerLabUp(
  spec: NetnsSpec,
  options: ContainerLabOptions,
): Promise<ContainerLabState> {
  if (process.getuid?.() !== 0) {
    throw new NetopsError('LAB_FAILED', 'the container lab needs root (podman with runc, the lab network)', {
      hint: 'Run it as root (sudo), or use `netops lab up --mode loopback`, which needs no privileges.',
    });
  }
  checkSpec(spec);
  const dir = path.resolve(options.dir);
  const kept = await healthy(dir, spec);
  if (kept) return kept;
  await removeContainerLab(dir);
  // The images stay held until the containers exist: a prune meanwhile keeps them.
  return withLabImages(options.images ?? {}, async ({ images }) => {
    const imageOf = (kind: 'sim' | 'frr') =>
      images.find((i) => i.name.startsWith(`netops-lab/${kind}:`))?.name ?? '';
    const id = options.id ?? randomBytes(3).toString('hex');
    await mkdir(dir, { recursive: true });
    try {
      const state = await claimNetwork({ id, dir, spec, imageOf });
      await startLab(state, options.readyTimeoutMs ?? 120_000);
      await impairFromSpec(state);
      state.up = true;
      await writeContainerState(state);
      return state;
    } catch (error) {
      // A half-built lab is worse than none; the logs stay in the folder.
      await removeContainerLab(dir);
      throw error;
    }
  });
}

/**
 * The lab's network in a free slot, its state file written (before anything exists, so a crash at
 * any point is cleaned by `down` or the next `up`) and rewritten for each slot tried: the address
 * plan, device files included, follows the slot.
 */
async function claimNetwork(plan: Omit<LabPlan, 'network'>): Promise<ContainerLabState> {
  const name = `nolab-${plan.id}`;
  return claimLabNetwork(name, plan.id, async (network) => {
    const full: LabPlan = { ...plan, network: { name, ...network } };
    const state: ContainerLabState = {
      version: 1,
      mode: 'container',
      id: plan.id,
      dir: plan.dir,
      spec: plan.spec,
      createdAt: new Date().toISOString(),
      network: full.network,
      ...(await launches(full)),
      up: false,
    };
    await writeContainerState(state);
    return state;
  });
}

/** The spec's `impair:` of each device, once its container runs (recorded as each is applied). */
async function impairFromSpec(state: ContainerLabState): Promise<void> {
  for (const device of state.spec.devices)
    if (device.impair) await impairContainerDevice(state, device.name, device.impair);
}

interface LabPlan {
  readonly id: string;
  readonly dir: string;
  readonly spec: NetnsSpec;
  readonly network: ContainerLabState['network'];
  readonly imageOf: (kind: 'sim' | 'frr') => string;
}

const folderOf = (dir: string, name: string) => path.join(dir, 'devices', name);

async function deviceFolder(dir: string, name: string): Promise<string> {
  const folder = folderOf(dir, name);
  await mkdir(folder, { recursive: true, mode: 0o711 });
  await chmod(folder, 0o711);
  return folder;
}

/** Device I's record, its files written and its launch decided. */
async function deviceRecord(plan: LabPlan, index: number): Promise<ContainerDeviceRecord> {
  const { spec, network } = plan;
  const device = spec.devices[index];
  if (!device) throw new Error(`no device ${index}`);
  const dir = await deviceFolder(plan.dir, device.name);
  const record = {
    name: device.name,
    platform: device.platform,
    container: `${network.name}-${device.name}`,
    image: plan.imageOf(device.platform === 'frr' ? 'frr' : 'sim'),
    addresses: containerDeviceAddresses(network.slot, index),
    loopback: containerLoopbackAddresses(network.slot, index),
    consolePort: consolePort(index),
    services:
      device.platform === 'frr'
        ? { ssh: 22, telnet: 23, snmp: 161, bgp: 179 }
        : { ssh: 22, telnet: 23, snmp: 161 },
  };
  const quirk =
    device.platform !== 'frr' && device.tftpSourceLoopback
      ? [`${ipv4AsTopBits(record.loopback.ipv4)}/128`]
      : [];
  const argv =
    device.platform === 'frr'
      ? await frrDeviceArgv(dir, spec, record, {
          asn: device.asn ?? 65000 + index + 1,
          neighbors: device.bgpNeighbors.map((name) => {
            const j = spec.devices.findIndex((d) => d.name === name);
            const address = containerDeviceAddresses(network.slot, j).ipv4;
            return { address, asn: spec.devices[j]?.asn ?? 65000 + j + 1 };
          }),
        })
      : await simDeviceArgv(dir, spec, record, device.tftpSourceLoopback);
  const loAddresses = [`${record.loopback.ipv4}/32`, `${record.loopback.ipv6}/128`, ...quirk];
  // Its own addresses on lo (the entry script); FRR's daemons also want raw sockets and SYS_ADMIN
  // (zebra and bgpd refuse to start without every capability they ask for).
  const capabilities = device.platform === 'frr' ? ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN'] : ['NET_ADMIN'];
  return { ...record, launch: { argv, mounts: [dir], loAddresses, capabilities } };
}

async function launches(plan: LabPlan): Promise<Pick<ContainerLabState, 'devices' | 'terminalServer'>> {
  const devices: ContainerDeviceRecord[] = [];
  for (const index of plan.spec.devices.keys()) devices.push(await deviceRecord(plan, index));
  const lines = devices.map((d): ConsoleRelayLine => ({
    port: d.consolePort ?? 0,
    target:
      d.platform === 'frr'
        ? { host: d.addresses.ipv4, port: 23 }
        : { path: consoleSocket(folderOf(plan.dir, d.name)) },
  }));
  const ts = plan.network.terminalServer;
  const tsDir = await deviceFolder(plan.dir, 'terminal-server');
  const argv = await terminalServerArgv(tsDir, [ts.ipv4, ts.ipv6], lines);
  return {
    devices,
    terminalServer: {
      container: `${plan.network.name}-ts`,
      image: plan.imageOf('sim'),
      // Console sockets of the simulated devices: unix sockets cross containers through the mount.
      launch: { argv, mounts: [path.join(plan.dir, 'devices')], loAddresses: [], capabilities: [] },
    },
  };
}

/** Routes to each device's loopbacks through it; the TFTP source-quirk address onto the bridge, unanswered. */
function hostRoutes(state: ContainerLabState): HostRoute[] {
  return state.devices.flatMap((d, i) => [
    { to: d.loopback.ipv4, via: d.addresses.ipv4 },
    { to: d.loopback.ipv6, via: d.addresses.ipv6 },
    // Without it the host's default route would carry replies to c612:... off the machine.
    ...(d.platform !== 'frr' && state.spec.devices[i]?.tftpSourceLoopback
      ? [{ to: ipv4AsTopBits(d.loopback.ipv4) }]
      : []),
  ]);
}

function containerLaunch(
  state: ContainerLabState,
  c: { container: string; image: string; launch: RecordedLaunch },
  hostname: string,
  addresses: DualStack,
): ContainerLaunch {
  return {
    name: c.container,
    hostname,
    image: c.image,
    labId: state.id,
    network: state.network.name,
    addresses,
    ...c.launch,
    log: path.join(folderOf(state.dir, hostname), 'container.log'),
  };
}

/** Starts the containers on the lab's network (created by claimNetwork) and waits until each answers. */
async function startLab(state: ContainerLabState, readyTimeoutMs: number): Promise<void> {
  const checks: ContainerReadyCheck[] = [];
  for (const d of state.devices) {
    const launch = containerLaunch(state, d, d.name, d.addresses);
    await runContainer(launch);
    const sockets = ['tcp:22', 'tcp:23', 'tcp:179', 'udp:161'];
    checks.push({
      container: launch.name,
      log: launch.log,
      ready: d.platform === 'frr' ? sockets : 'printed',
    });
  }
  const ts = containerLaunch(state, state.terminalServer, 'terminal-server', state.network.terminalServer);
  await runContainer(ts);
  checks.push({ container: ts.name, log: ts.log, ready: 'printed' });
  const bridge = await bridgeOf(state.network.name);
  if (!bridge)
    throw new NetopsError('LAB_FAILED', `network ${state.network.name} has no bridge`, {
      hint: 'Run `netops lab doctor --mode container`.',
    });
  await attachHost(bridge, state.network, hostRoutes(state));
  await waitContainersReady(checks, readyTimeoutMs);
}
