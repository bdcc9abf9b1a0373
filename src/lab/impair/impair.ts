/**
 * Impairing one device's link, inside its network namespace (a netns lab device or a container):
 * loss in an nftables table the lab owns, delay, jitter, reordering and duplication in the relay
 * (a TUN device per direction, routed to by packet mark), or netem for the from-device direction
 * where the kernel has it. Applying again replaces the previous impairment; removing works from what
 * was recorded, and without a record removes whatever the lab's names find (after a crash).
 */
import { stopProcesses } from '../netns/processes.js';
import type { RecordedProcess } from '../netns/processes.js';
import {
  activeImpairment,
  directions,
  isActive,
  isNoImpairment,
  needsRelay,
  type Direction,
  type Impairment,
} from './impairment.js';
import { netemArgs } from './netem.js';
import { nftRuleset, nftTableName, relayLinks } from './nft-ruleset.js';
import { addRelayPath, inNetns, removeRelayPath } from './plumbing.js';
import { startRelay } from './relay.js';

export interface ImpairTarget {
  /** The device's network namespace as a path: /run/netns/NAME, /proc/PID/ns/net. */
  readonly netns: string;
  /** The interface in that namespace facing the lab network, e.g. `eth0`. */
  readonly uplink: string;
  /** The lab id ([a-z0-9]+): names the nftables table `netops_<owner>`. */
  readonly owner: string;
  /** A folder of the lab for this device: the relay's program, config and log. */
  readonly dir: string;
  /** The relay's recorded name, e.g. `r1/impair-relay`. */
  readonly name: string;
  /** The relay exits by itself when this process (a container's init) exits. */
  readonly exitWith?: number;
}

export interface AppliedImpairment {
  /** The active directions only. */
  readonly impairment: Impairment;
  readonly table: string;
  /** Who impairs the from-device direction: the netem qdisc, or nftables and the relay. */
  readonly fromDeviceBy: 'netem' | 'relay';
  readonly relay?: RecordedProcess;
  /** Namespace settings before the relay path, restored when it goes. */
  readonly sysctls?: Readonly<Record<string, string>>;
}

/** A lab state's impairments by device name with device `name`'s replaced by `applied` (or removed). */
export function recordImpairment(
  impairments: Readonly<Record<string, AppliedImpairment>> | undefined,
  name: string,
  applied: AppliedImpairment | undefined,
): Record<string, AppliedImpairment> {
  const others = Object.entries(impairments ?? {}).filter(([device]) => device !== name);
  return Object.fromEntries(applied ? [...others, [name, applied]] : others);
}

/**
 * Tries netem for the from-device direction; false when it cannot be had (no sch_netem, no tc): the
 * relay and nftables then do that direction too, and do everything netem would.
 */
async function tryNetem(target: ImpairTarget, impairment: Impairment): Promise<boolean> {
  const from = impairment.fromDevice;
  if (!isActive(from)) return false;
  const tc = await inNetns(target.netns, ['tc', ...netemArgs(target.uplink, from)], { allowFailure: true });
  return tc.code === 0;
}

/**
 * Gives the target `impairment` (replacing `previous`); undefined when there is nothing to apply.
 * On a failure it removes what it added and throws LAB_FAILED.
 */
export async function applyImpairment(
  target: ImpairTarget,
  impairment: Impairment,
  previous?: AppliedImpairment,
): Promise<AppliedImpairment | undefined> {
  await removeImpairment(target, previous);
  if (isNoImpairment(impairment)) return undefined;
  const active = activeImpairment(impairment);
  let applied: AppliedImpairment = {
    impairment: active,
    table: nftTableName(target.owner),
    fromDeviceBy: (await tryNetem(target, active)) ? 'netem' : 'relay',
  };
  try {
    const relayed = directions.filter(
      (d) => needsRelay(active[d]) && (d === 'toDevice' || applied.fromDeviceBy === 'relay'),
    );
    if (relayed.length > 0) {
      applied = { ...applied, sysctls: await addRelayPath(target.netns, relayed) };
      applied = { ...applied, relay: await startRelay(relayOptions(target, active, relayed)) };
    }
    await loadRuleset(target, applied, relayed);
    return applied;
  } catch (error) {
    await removeImpairment(target, applied);
    throw error;
  }
}

function relayOptions(target: ImpairTarget, impairment: Impairment, relayed: readonly Direction[]) {
  return {
    netns: target.netns,
    dir: target.dir,
    name: target.name,
    ...(target.exitWith !== undefined ? { exitWith: target.exitWith } : {}),
    links: relayed.map((d) => {
      const { delayMs, jitterMs, duplicatePercent, reorderPercent } = impairment[d] ?? {
        delayMs: 0,
        jitterMs: 0,
        duplicatePercent: 0,
        reorderPercent: 0,
      };
      return { device: relayLinks[d].device, delayMs, jitterMs, duplicatePercent, reorderPercent };
    }),
  };
}

async function loadRuleset(target: ImpairTarget, applied: AppliedImpairment, relayed: readonly Direction[]) {
  const { toDevice, fromDevice } = applied.impairment;
  const plan = {
    uplink: target.uplink,
    ...(toDevice ? { toDevice } : {}),
    // netem drops from-device packets itself.
    ...(fromDevice && applied.fromDeviceBy === 'relay' ? { fromDevice } : {}),
    relayed: { toDevice: relayed.includes('toDevice'), fromDevice: relayed.includes('fromDevice') },
  };
  await inNetns(target.netns, ['nft', '-f', '-'], { input: nftRuleset(applied.table, plan) });
}

/** Stops the relay, deletes the lab's nftables tables, the netem qdisc and the relay path. */
export async function removeImpairment(
  target: ImpairTarget,
  applied: AppliedImpairment | undefined,
): Promise<void> {
  if (applied?.relay) await stopProcesses([applied.relay], 1000);
  await inNetns(target.netns, ['nft', '-f', '-'], {
    input: nftRuleset(nftTableName(target.owner), undefined),
  });
  if (applied?.fromDeviceBy === 'netem')
    await inNetns(target.netns, ['tc', 'qdisc', 'del', 'dev', target.uplink, 'root'], { allowFailure: true });
  await removeRelayPath(target.netns, applied?.sysctls);
}
