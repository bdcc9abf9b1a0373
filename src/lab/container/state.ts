/**
 * The container lab's state file, `DIR/container-lab.json`: its id, network and container names,
 * written before any of them is created, so `down` (or the next `up`) removes exactly those after
 * any crash. Every container and network also carries the label `netops.lab=ID`, which finds what
 * a crash left between the create and the state update.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import type { AppliedImpairment } from '../impair/impair.js';
import type { LabDeviceRecord } from '../netns/state.js';
import type { NetnsSpec } from '../netns/spec.js';
import type { LabNetwork } from './addressing.js';

/** What a container was started with, after the image's entry point (see run-container.ts). */
export interface RecordedLaunch {
  /** The command: `node /opt/netops/lab/netns/device-main.js DIR/device.json`, `start-frr DIR`, ... */
  readonly argv: string[];
  /** Host folders mounted at the same path inside. */
  readonly mounts: string[];
  /** `ADDRESS/PREFIX` the entry script puts on lo (env NETOPS_LAB_ADDRESSES). */
  readonly loAddresses: string[];
  /** Capabilities added to podman's default set (`--cap-add`). */
  readonly capabilities: string[];
}

export interface ContainerDeviceRecord extends Omit<LabDeviceRecord, 'namespace'> {
  /** Container name: `nolab-ID-DEVICE`. */
  readonly container: string;
  readonly image: string;
  readonly launch: RecordedLaunch;
}

export interface ContainerLabState {
  readonly version: 1;
  readonly mode: 'container';
  readonly id: string;
  readonly dir: string;
  readonly spec: NetnsSpec;
  readonly createdAt: string;
  /** The podman network `nolab-ID` and its address plan. */
  readonly network: { readonly name: string } & LabNetwork;
  readonly terminalServer: {
    readonly container: string;
    readonly image: string;
    readonly launch: RecordedLaunch;
  };
  devices: ContainerDeviceRecord[];
  /** Impaired devices' links (spec `impair:` or `netops lab impair`), by device name. */
  impairments?: Record<string, AppliedImpairment>;
  /** Set once every device answered; a crash before it leaves `up: false`. */
  up: boolean;
}

export const stateFile = (dir: string): string => path.join(dir, 'container-lab.json');

export async function readContainerState(dir: string): Promise<ContainerLabState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(dir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as ContainerLabState;
  } catch (error) {
    throw new NetopsError('LAB_FAILED', `${stateFile(dir)} is not valid JSON: ${(error as Error).message}`, {
      hint: "Remove the lab's containers by hand (`podman ps -a --filter label=netops.lab`), then the file.",
      cause: error,
    });
  }
}

export const writeContainerState = (state: ContainerLabState): Promise<void> =>
  writeFileAtomic(stateFile(state.dir), `${JSON.stringify(state, null, 2)}\n`);

export const removeContainerState = (dir: string): Promise<void> => rm(stateFile(dir), { force: true });
