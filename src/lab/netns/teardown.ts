/**
 * `down` and `status` of a netns lab, from its state file only: recorded processes (by PID and start
 * time), whatever else runs inside the recorded namespaces, and the namespaces (their veths and
 * bridge go with them). Works after a crash of `up` or of any lab process.
 */
import type { Impairment } from '../impair/impairment.js';
import { rm } from 'node:fs/promises';
import { frrRoles, frrTmpDir } from './frr.js';
import {
  isAlive,
  namespaceProcesses,
  startTimeOf,
  stopProcesses,
  type RecordedProcess,
} from './processes.js';
import { readState, removeState, type LabDeviceRecord, type NetnsState } from './state.js';
import { deleteNamespaces, existingNamespaces } from './topology.js';

export interface DownResult {
  readonly id: string | undefined;
  readonly processes: number;
  readonly namespaces: number;
}

export async function stopLab(state: NetnsState): Promise<DownResult> {
  await stopProcesses(state.processes);
  const present = await existingNamespaces(state.namespaces);
  // Session children (sshd's, telnetd's login, vtysh) and anything started before its PID was recorded.
  const strays = (await Promise.all(present.map(namespaceProcesses))).flat();
  await stopProcesses(strays, 1000);
  await removeFrrLeftovers(state.processes);
  await deleteNamespaces(present);
  return { id: state.id, processes: state.processes.length + strays.length, namespaces: present.length };
}

/**
 * The /var/tmp/frr folders of FRR daemons that were killed or crashed. A PID in use by another
 * process again may name that process's folder: it is left alone.
 */
async function removeFrrLeftovers(processes: readonly RecordedProcess[]): Promise<void> {
  for (const p of processes) {
    const role = frrRoles.find((r) => p.name.endsWith(`/${r}`));
    if (role === undefined || (await isAlive(p))) continue;
    const now = await startTimeOf(p.pid);
    if (now === undefined || now === p.startTime)
      await rm(frrTmpDir(role, p.pid), { recursive: true, force: true });
  }
}

export async function netnsLabDown(dir: string): Promise<DownResult> {
  const state = await readState(dir);
  if (!state) return { id: undefined, processes: 0, namespaces: 0 };
  const result = await stopLab(state);
  await removeState(dir);
  return result;
}

export type Health = 'up' | 'down' | 'degraded';

export interface DeviceStatus extends LabDeviceRecord {
  readonly health: Health;
  /** Recorded processes of this device that are not running. */
  readonly stopped: readonly string[];
}

export interface LabStatus {
  readonly id: string;
  readonly management: string;
  readonly up: boolean;
  readonly devices: readonly DeviceStatus[];
  /** Lab processes outside device namespaces: the terminal server, the scale simulator. */
  readonly services: readonly { readonly name: string; readonly alive: boolean }[];
  readonly missingNamespaces: readonly string[];
  /** Impaired devices by name: the active directions (see lab/impair/impairment.ts). */
  readonly impairments: Readonly<Record<string, Impairment>>;
}

export async function netnsLabStatus(dir: string): Promise<LabStatus | undefined> {
  const state = await readState(dir);
  if (!state) return undefined;
  const present = new Set(await existingNamespaces(state.namespaces));
  const aliveByName = new Map(
    await Promise.all(state.processes.map(async (p) => [p.name, await isAlive(p)] as const)),
  );
  const devices = state.devices.map((device): DeviceStatus => {
    const own = state.processes.filter((p) => p.namespace === device.namespace);
    const stopped = own.filter((p) => !aliveByName.get(p.name)).map((p) => p.name);
    const health: Health =
      !present.has(device.namespace) || stopped.length === own.length
        ? 'down'
        : stopped.length > 0
          ? 'degraded'
          : 'up';
    return { ...device, health, stopped };
  });
  return {
    id: state.id,
    management: state.management,
    up: state.up,
    devices,
    services: state.processes
      .filter((p) => !state.devices.some((d) => d.namespace === p.namespace))
      .map((p) => ({ name: p.name, alive: aliveByName.get(p.name) ?? false })),
    missingNamespaces: state.namespaces.filter((ns) => !present.has(ns)),
    impairments: Object.fromEntries(
      Object.entries(state.impairments ?? {}).map(([name, applied]) => [name, applied.impairment]),
    ),
  };
}
