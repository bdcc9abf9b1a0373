/**
 * What `netops lab impair DEVICE` does: turns the flags into the direction(s) they set, merges them
 * with the device's current impairment and applies the result to the container or netns lab in `--dir`.
 */
import { NetopsError } from '../../core/errors.js';
import type { AppliedImpairment } from '../../lab/impair/impair.js';
import {
  describeImpairment,
  directions,
  directionSchema,
  isActive,
  needsRelay,
  type Direction,
  type DirectionImpairment,
  type Impairment,
} from '../../lab/impair/impairment.js';
import { impairContainerLab } from '../../lab/container/impair-container.js';
import { impairNetnsDevice } from '../../lab/netns/impair-device.js';

export interface LabImpairFlags {
  readonly dir: string;
  readonly direction: string;
  readonly delay?: string;
  readonly jitter?: string;
  readonly loss?: string;
  readonly duplicate?: string;
  readonly reorder?: string;
  readonly clear?: boolean;
}

const out = (text: string) => process.stdout.write(`${text}\n`);

const invalid = (flag: string, value: string, expected: string) =>
  new NetopsError('CONFIG_INVALID', `${flag} ${value}: expected ${expected}`, {
    hint: 'For example: netops lab impair r1 --delay 200ms --jitter 20ms --loss 10%',
  });

/** `200ms`, `1.5s` or a bare number of milliseconds. */
export function parseTime(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  if (!match) throw invalid(flag, value, 'a time such as 200ms or 1.5s');
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/** `10%`, `0.5%` or a bare number, 0 to 100. */
export function parsePercent(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(value.trim());
  if (!match || Number(match[1]) > 100) throw invalid(flag, value, 'a percentage from 0 to 100, such as 10%');
  return Number(match[1]);
}

const directionsOf: Readonly<Record<string, readonly Direction[]>> = {
  'from-device': ['fromDevice'],
  'to-device': ['toDevice'],
  both: ['toDevice', 'fromDevice'],
};

/** The new impairment of the device: the flags' direction(s) replaced, the other kept. */
export function impairmentFromFlags(flags: LabImpairFlags, current: Impairment): Impairment {
  if (flags.clear) return {};
  const chosen = directionsOf[flags.direction];
  if (!chosen) throw invalid('--direction', flags.direction, 'from-device, to-device or both');
  const parsed = directionSchema.safeParse({
    delayMs: flags.delay === undefined ? 0 : parseTime('--delay', flags.delay),
    jitterMs: flags.jitter === undefined ? 0 : parseTime('--jitter', flags.jitter),
    lossPercent: flags.loss === undefined ? 0 : parsePercent('--loss', flags.loss),
    duplicatePercent: flags.duplicate === undefined ? 0 : parsePercent('--duplicate', flags.duplicate),
    reorderPercent: flags.reorder === undefined ? 0 : parsePercent('--reorder', flags.reorder),
  });
  if (!parsed.success)
    throw new NetopsError('CONFIG_INVALID', parsed.error.issues.map((i) => i.message).join('; '), {
      hint: 'Reordering sends some packets ahead of delayed ones: give --delay too (e.g. --delay 50ms --reorder 10%).',
    });
  const set: DirectionImpairment = parsed.data;
  return { ...current, ...Object.fromEntries(chosen.map((d) => [d, set])) };
}

const changes = (flags: LabImpairFlags) =>
  flags.clear === true ||
  [flags.delay, flags.jitter, flags.loss, flags.duplicate, flags.reorder].some((v) => v !== undefined);

export async function labImpairAction(device: string, flags: LabImpairFlags): Promise<void> {
  // Bad flags fail before the lab is touched.
  impairmentFromFlags(flags, {});
  const change = (current: Impairment) => (changes(flags) ? impairmentFromFlags(flags, current) : current);
  const result =
    (await impairContainerLab(flags.dir, device, change)) ??
    (await impairNetnsDevice(flags.dir, device, change));
  if (!result) {
    throw new NetopsError('LAB_FAILED', `no netns or container lab recorded in ${flags.dir}`, {
      hint: 'Start one with `netops lab up --mode netns|container --spec FILE --dir DIR`, or pass its folder with --dir.',
    });
  }
  const lines = describeImpairment(result.applied?.impairment);
  out(lines.length > 0 ? `${device}: ${lines.join('; ')}` : `${device}: no impairment`);
  if (result.applied) out(`${mechanisms(result.applied).join('; ')}; nftables table ${result.applied.table}`);
}

/** Which mechanism impairs each active direction: netem, nftables (loss alone) or nftables and the relay. */
function mechanisms(applied: AppliedImpairment): string[] {
  const label: Record<Direction, string> = { toDevice: 'to-device', fromDevice: 'from-device' };
  return directions
    .filter((d) => isActive(applied.impairment[d]))
    .map((d) => {
      const by =
        d === 'fromDevice' && applied.fromDeviceBy === 'netem'
          ? 'netem'
          : needsRelay(applied.impairment[d])
            ? 'nftables and the relay'
            : 'nftables';
      return `${label[d]} by ${by}`;
    });
}
