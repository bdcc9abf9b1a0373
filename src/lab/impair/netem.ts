/**
 * netem, where the kernel has it (`sch_netem`): it then does the from-device direction on the
 * device's uplink as a qdisc, with no relay process. Towards the device netem would need an `ifb`
 * device to redirect ingress to; the relay does that direction everywhere.
 */
import { randomBytes } from 'node:crypto';
import { run } from '../netns/command.js';
import type { DirectionImpairment } from './impairment.js';

/** Packets netem holds at most, as the relay's queue. */
const netemLimit = 10_000;

/** `tc` arguments that give `uplink` this direction's impairment. */
export function netemArgs(uplink: string, d: DirectionImpairment): string[] {
  return [
    'qdisc',
    'replace',
    'dev',
    uplink,
    'root',
    'netem',
    'limit',
    String(netemLimit),
    ...(d.delayMs > 0 || d.jitterMs > 0
      ? ['delay', `${d.delayMs}ms`, ...(d.jitterMs > 0 ? [`${d.jitterMs}ms`] : [])]
      : []),
    ...(d.lossPercent > 0 ? ['loss', `${d.lossPercent}%`] : []),
    ...(d.duplicatePercent > 0 ? ['duplicate', `${d.duplicatePercent}%`] : []),
    ...(d.reorderPercent > 0 ? ['reorder', `${d.reorderPercent}%`] : []),
  ];
}

/** Whether the kernel has the netem qdisc: tried on `lo` of a throw-away namespace. */
export async function netemAvailable(): Promise<boolean> {
  const probe = `nolab-probe-${randomBytes(3).toString('hex')}`;
  const added = await run('ip', ['netns', 'add', probe], { allowFailure: true });
  if (added.code !== 0) return false;
  try {
    const tc = await run('tc', ['-n', probe, 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], {
      allowFailure: true,
    });
    return tc.code === 0;
  } finally {
    await run('ip', ['netns', 'del', probe], { allowFailure: true });
  }
}
