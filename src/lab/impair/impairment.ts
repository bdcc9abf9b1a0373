/**
 * What a lab link does to packets, per direction as seen from the device: `toDevice` (packets the
 * device receives) and `fromDevice` (packets it sends). The same shape in the netns lab spec, the
 * container lab spec and `netops lab impair`.
 */
import { z } from 'zod';

const percent = z.number().min(0).max(100).default(0);

export const directionSchema = z
  .object({
    /** Added to every packet of this direction. */
    delayMs: z.number().min(0).max(60_000).default(0),
    /** Each packet's delay is delayMs plus or minus up to jitterMs (uniform); packets may overtake. */
    jitterMs: z.number().min(0).max(60_000).default(0),
    lossPercent: percent,
    /** Packets sent twice. */
    duplicatePercent: percent,
    /** Packets sent at once, ahead of the delayed ones (needs delayMs), as netem's `reorder`. */
    reorderPercent: percent,
  })
  .strict()
  .refine((d) => d.reorderPercent === 0 || d.delayMs > 0, {
    message: 'reorderPercent needs a delayMs: reordered packets are the ones sent ahead of delayed ones',
    path: ['reorderPercent'],
  });

export const impairmentSchema = z
  .object({ toDevice: directionSchema.optional(), fromDevice: directionSchema.optional() })
  .strict();

export type DirectionImpairment = z.infer<typeof directionSchema>;
export type Impairment = z.infer<typeof impairmentSchema>;
export type ImpairmentInput = z.input<typeof impairmentSchema>;
export type Direction = keyof Impairment;
export const directions: readonly Direction[] = ['toDevice', 'fromDevice'];

/** Whether a direction changes anything. */
export function isActive(d: DirectionImpairment | undefined): d is DirectionImpairment {
  return (
    d !== undefined &&
    (d.delayMs > 0 || d.jitterMs > 0 || d.lossPercent > 0 || d.duplicatePercent > 0 || d.reorderPercent > 0)
  );
}

/** Whether a direction needs the userspace relay (everything but loss, which nftables does). */
export function needsRelay(d: DirectionImpairment | undefined): boolean {
  return isActive(d) && (d.delayMs > 0 || d.jitterMs > 0 || d.duplicatePercent > 0 || d.reorderPercent > 0);
}

export function isNoImpairment(impairment: Impairment | undefined): boolean {
  return !directions.some((d) => isActive(impairment?.[d]));
}

/** Only the active directions: what a state file keeps and `status` shows. */
export function activeImpairment(impairment: Impairment): Impairment {
  return Object.fromEntries(directions.filter((d) => isActive(impairment[d])).map((d) => [d, impairment[d]]));
}

/**
 * What `change` makes of the `current` impairment (active directions only), or undefined when it is
 * the same: applying it again would only restart the relay and drop the packets it holds.
 */
export function changedImpairment(
  current: Impairment | undefined,
  change: (current: Impairment) => Impairment,
): Impairment | undefined {
  const before = current ?? {};
  const next = activeImpairment(change(before));
  return JSON.stringify(next) === JSON.stringify(before) ? undefined : next;
}

/** One line per active direction, e.g. `from-device: delay 200ms, loss 10%`. */
export function describeImpairment(impairment: Impairment | undefined): string[] {
  return directions.flatMap((direction) => {
    const d = impairment?.[direction];
    if (!isActive(d)) return [];
    const parts = [
      d.delayMs > 0 ? `delay ${d.delayMs}ms` : '',
      d.jitterMs > 0 ? `jitter ${d.jitterMs}ms` : '',
      d.lossPercent > 0 ? `loss ${d.lossPercent}%` : '',
      d.duplicatePercent > 0 ? `duplicate ${d.duplicatePercent}%` : '',
      d.reorderPercent > 0 ? `reorder ${d.reorderPercent}%` : '',
    ].filter(Boolean);
    return [`${direction === 'toDevice' ? 'to-device' : 'from-device'}: ${parts.join(', ')}`];
  });
}
