/**
 * Impairing a container lab device's link (C2's src/lab/impair/, the same as the netns lab's):
 * from its spec's `impair:` at `up`, or at run time with `netops lab impair DEVICE`. The target is
 * the container's network namespace (`/proc/PID/ns/net` of its init) and its `eth0`; the relay runs
 * on the host inside that namespace and exits by itself when the container does. The applied
 * impairment is kept in the state file, so the next change replaces it and `down` removes it.
 */
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import {
  applyImpairment,
  removeImpairment,
  type AppliedImpairment,
  type ImpairTarget,
} from '../impair/impair.js';
import { activeImpairment, type Impairment } from '../impair/impairment.js';
import { stopProcesses } from '../netns/processes.js';
import { inspectContainers } from './run-container.js';
import { readContainerState, writeContainerState, type ContainerLabState } from './state.js';

/** podman gives each container one interface on the lab network. */
const uplink = 'eth0';

async function target(state: ContainerLabState, name: string): Promise<ImpairTarget | undefined> {
  const device = state.devices.find((d) => d.name === name);
  if (!device) return undefined;
  const container = (await inspectContainers([device.container])).get(device.container);
  if (!container?.running) return undefined;
  return {
    netns: `/proc/${container.pid}/ns/net`,
    uplink,
    owner: state.id,
    dir: path.join(state.dir, 'devices', name),
    name: `${name}/impair-relay`,
    exitWith: container.pid,
  };
}

/** Applies `impairment` to device `name` (replacing what it had) and records it in the state file. */
export async function impairContainerDevice(
  state: ContainerLabState,
  name: string,
  impairment: Impairment,
): Promise<AppliedImpairment | undefined> {
  const found = await target(state, name);
  if (!found) {
    throw new NetopsError('CONFIG_INVALID', `container lab ${state.id} has no running device named ${name}`, {
      hint: `Name one of: ${state.devices.map((d) => d.name).join(', ')} (\`netops lab status\` shows which run).`,
    });
  }
  const applied = await applyImpairment(found, activeImpairment(impairment), state.impairments?.[name]);
  const others = Object.entries(state.impairments ?? {}).filter(([device]) => device !== name);
  state.impairments = Object.fromEntries(applied ? [...others, [name, applied]] : others);
  await writeContainerState(state);
  return applied;
}

/** `netops lab impair` on a container lab in `dir`; undefined when `dir` holds none. */
export async function impairContainerLab(
  dir: string,
  name: string,
  change: (current: Impairment) => Impairment,
): Promise<{ readonly applied: AppliedImpairment | undefined } | undefined> {
  const state = await readContainerState(dir);
  if (!state) return undefined;
  const previous = state.impairments?.[name];
  const current = previous?.impairment ?? {};
  const next = activeImpairment(change(current));
  if (JSON.stringify(next) === JSON.stringify(current) && state.devices.some((d) => d.name === name))
    return { applied: previous };
  return { applied: await impairContainerDevice(state, name, next) };
}

/** Before the containers go: every recorded impairment removed, its relay stopped by PID. */
export async function removeContainerImpairments(state: ContainerLabState): Promise<void> {
  for (const [name, applied] of Object.entries(state.impairments ?? {})) {
    const found = await target(state, name);
    if (found) await removeImpairment(found, applied);
    if (applied.relay) await stopProcesses([applied.relay], 1000);
  }
}
