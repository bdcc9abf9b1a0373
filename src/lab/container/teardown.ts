/**
 * `lab status` and `lab down` of a container lab: what the state file names plus whatever carries
 * the lab's label (a crash between a create and the state update), and nothing else. The host's
 * addresses and routes for the lab sit on its bridge, which goes with the network.
 */
import { NetopsError } from '../../core/errors.js';
import type { Impairment } from '../impair/impairment.js';
import { isAlive } from '../netns/processes.js';
import { removeContainerImpairments } from './impair-container.js';
import { labeled, podman } from './podman.js';
import { inspectContainers } from './run-container.js';
import { readContainerState, removeContainerState, type ContainerLabState } from './state.js';
import { removeNetworks } from './network.js';

export interface ContainerDeviceStatus {
  readonly name: string;
  readonly platform: string;
  readonly container: string;
  readonly running: boolean;
  readonly status: string;
  readonly addresses: ContainerLabState['devices'][number]['addresses'];
  readonly loopback: ContainerLabState['devices'][number]['loopback'];
  readonly consolePort?: number;
}

export interface ContainerLabStatus {
  readonly state: ContainerLabState;
  readonly networkExists: boolean;
  readonly terminalServerRunning: boolean;
  readonly devices: ContainerDeviceStatus[];
  /** Impaired devices by name: the active directions (see lab/impair/impairment.ts), as the netns lab's. */
  readonly impairments: Readonly<Record<string, Impairment>>;
  /** Impaired devices whose relay (delay, jitter, reordering, duplication) is no longer running. */
  readonly relaysStopped: readonly string[];
}

/** Devices of `state` whose recorded impairment relay is gone (it exits with its container). */
async function stoppedRelays(state: ContainerLabState): Promise<string[]> {
  const stopped: string[] = [];
  for (const [name, applied] of Object.entries(state.impairments ?? {}))
    if (applied.relay && !(await isAlive(applied.relay))) stopped.push(name);
  return stopped;
}

export async function containerLabStatus(dir: string): Promise<ContainerLabStatus | undefined> {
  const state = await readContainerState(dir);
  if (!state) return undefined;
  const containers = await inspectContainers([
    ...state.devices.map((d) => d.container),
    state.terminalServer.container,
  ]);
  const networks = await labeled('network', state.id);
  return {
    state,
    networkExists: networks.includes(state.network.name),
    terminalServerRunning: containers.get(state.terminalServer.container)?.running ?? false,
    devices: state.devices.map((d) => ({
      name: d.name,
      platform: d.platform,
      container: d.container,
      running: containers.get(d.container)?.running ?? false,
      status: containers.get(d.container)?.status ?? 'missing',
      addresses: d.addresses,
      loopback: d.loopback,
      ...(d.consolePort ? { consolePort: d.consolePort } : {}),
    })),
    impairments: Object.fromEntries(
      Object.entries(state.impairments ?? {}).map(([name, applied]) => [name, applied.impairment]),
    ),
    relaysStopped: await stoppedRelays(state),
  };
}

export interface ContainerLabRemoval {
  readonly id?: string;
  readonly containers: number;
  readonly networks: number;
}

/** Removes every container and network of the lab recorded in `dir`, then its state file. */
export async function removeContainerLab(dir: string): Promise<ContainerLabRemoval> {
  const state = await readContainerState(dir);
  if (!state) return { containers: 0, networks: 0 };
  await removeContainerImpairments(state);
  const containers = [...new Set(await labeled('container', state.id))];
  // -t 2: a device has nothing to save; SIGKILL after two seconds.
  if (containers.length > 0)
    await podman(['rm', '--force', '--time', '2', ...containers], { allowFailure: true });
  const networks = await labeled('network', state.id);
  await removeNetworks(networks);
  const left = [...(await labeled('container', state.id)), ...(await labeled('network', state.id))];
  if (left.length > 0) {
    throw new NetopsError('LAB_FAILED', `lab ${state.id}: could not remove ${left.join(', ')}`, {
      hint: 'See `podman ps -a` and `podman network ls`; run `netops lab down` again.',
    });
  }
  await removeContainerState(dir);
  return { id: state.id, containers: containers.length, networks: networks.length };
}
