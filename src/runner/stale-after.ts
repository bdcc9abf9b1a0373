/**
 * How old a host's last good run may get: the job's `alert_stale_after` and `netops status --stale`.
 * Unlike step time-outs (at most a day: they arm timers) this is only compared, so days are fine.
 */
import { z } from 'zod';

const pattern = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/;
const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const staleAfterMessage = 'expected an age such as "90m", "24h" or "7d" (at least 1m)';

/** Milliseconds, or undefined when `text` is not an age of at least a minute. */
export function parseStaleAfter(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
  return ms >= unitMs.m ? ms : undefined;
}

/** The `alert_stale_after` job key, parsed to milliseconds. */
export const staleAfterSchema = z.string({ error: staleAfterMessage }).transform((text, ctx) => {
  const ms = parseStaleAfter(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: staleAfterMessage });
    return z.NEVER;
  }
  return ms;
});
