/**
 * Impairing a netns lab device's link: from its spec's `impair:` at `up`, or at run time with
 * `netops lab impair`. The relay is recorded with the device's processes (so `status` sees it and
 * `down` stops it), the applied impairment in the state file (so the next change replaces it).
 */
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import {
  applyImpairment,
  recordImpairment,
  type AppliedImpairment,
  type ImpairTarget,
} from '../impair/impair.js';
import { changedImpairment, type Impairment } from '../impair/impairment.js';
import { readState, StateWriter, type LabDeviceRecord, type NetnsState } from './state.js';
import { uplinkName } from './topology.js';

const relayName = (device: string) => `${device}/impair-relay`;

export function impairTarget(state: NetnsState, device: LabDeviceRecord): ImpairTarget {
  return {
    netns: `/run/netns/${device.namespace}`,
    uplink: uplinkName,
    owner: state.id,
    dir: path.join(state.dir, 'devices', device.name),
    name: relayName(device.name),
  };
}

/** Applies `impairment` to device `name` of the lab `writer` holds, replacing what it had. */
export async function impairDevice(
  writer: StateWriter,
  name: string,
  impairment: Impairment,
): Promise<AppliedImpairment | undefined> {
  const device = writer.state.devices.find((d) => d.name === name);
  if (!device) {
    throw new NetopsError('CONFIG_INVALID', `the lab has no device named ${name}`, {
      hint: `Name one of: ${writer.state.devices.map((d) => d.name).join(', ')} (\`netops lab status\` lists them).`,
    });
  }
  const applied = await applyImpairment(
    impairTarget(writer.state, device),
    impairment,
    writer.state.impairments?.[name],
  );
  await writer.update((s) => {
    s.processes = s.processes.filter((p) => p.name !== relayName(name));
    // Recorded under the device's namespace name, as its other processes: `status` counts it as the device's.
    if (applied?.relay) s.processes.push({ ...applied.relay, namespace: device.namespace });
    s.impairments = recordImpairment(s.impairments, name, applied);
  });
  return applied;
}

/**
 * `netops lab impair DEVICE ...` on the netns lab in `dir`: `change` gets the device's impairment and
 * returns the new one; the same one changes nothing (the relay keeps running). Undefined when `dir`
 * holds no netns lab.
 */
export async function impairNetnsDevice(
  dir: string,
  name: string,
  change: (current: Impairment) => Impairment,
): Promise<{ readonly applied: AppliedImpairment | undefined } | undefined> {
  const state = await readState(dir);
  if (!state) return undefined;
  const previous = state.impairments?.[name];
  const next = changedImpairment(previous?.impairment, change);
  if (!next && state.devices.some((d) => d.name === name)) return { applied: previous };
  return { applied: await impairDevice(new StateWriter(state), name, next ?? {}) };
}
