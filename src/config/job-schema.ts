/**
 * The job file format (`jobs/*.yaml`). Task params and the sections owned by other layers
 * (`tftp`, `store`, `notify`, ...) are validated by schemas those layers provide (see job.ts).
 */
import { z } from 'zod';
import { importEntrySchema } from './import/source.js';

const durationPattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const durationMessage = 'expected a duration: seconds as a number, or a string such as "500ms", "30s", "5m"';

/**
 * The longest duration: a day. Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once
 * beyond it, so an unbounded value would turn "600h" into a time limit of 1 ms.
 */
const maxDurationMs = 24 * 3_600_000;
const rangeMessage = 'expected a duration between 1ms and 24h';

/** A duration: seconds as a number, or a string with a unit (`500ms`, `30s`, `5m`, `1h`); parsed to milliseconds. */
export const durationSchema = z
  .union([z.number(), z.string().regex(durationPattern, { message: durationMessage })], {
    error: durationMessage,
  })
  .transform((value, ctx) => {
    let ms: number;
    if (typeof value === 'number') ms = Math.round(value * 1000);
    else {
      const [, amount, unit] = durationPattern.exec(value) as unknown as [
        string,
        string,
        keyof typeof unitMs,
      ];
      ms = Math.round(Number(amount) * unitMs[unit]);
    }
    if (!(ms >= 1 && ms <= maxDurationMs)) {
      ctx.addIssue({ code: 'custom', message: rangeMessage });
      return z.NEVER;
    }
    return ms;
  });

/** An inventory file, or an import source (`{ from: ansible, path: hosts.yaml }`, see docs/inventory.md). */
const inventoryEntry = z.union([z.string().min(1), importEntrySchema], {
  error: 'expected an inventory file path or an import source ({ from: ..., path: ... })',
});

export const stepSchema = z.strictObject({
  task: z.string().min(1),
  /** Shown in results; defaults to the task name. */
  name: z.string().min(1).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  timeout: durationSchema.optional(),
  retries: z.int().min(0).max(10).optional(),
});

export const jobFileSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Inventory file(s), relative to the job file, and import sources read on every run. */
  inventory: z.union([inventoryEntry, z.array(inventoryEntry).min(1)], {
    error: 'expected an inventory file path, an import source ({ from: ..., path: ... }) or a list of them',
  }),
  limit: z
    .union([z.string(), z.array(z.string())], { error: 'expected a pattern or a list of patterns' })
    .optional(),
  concurrency: z.int().min(1).max(10_000).optional(),
  /** Worker threads the hosts' sessions run on (`auto`: docs/running.md); 1 runs every host on the main thread. */
  threads: z
    .union([z.literal('auto'), z.int().min(1).max(64)], {
      error: 'expected auto or a number of threads from 1 to 64',
    })
    .optional(),
  timeouts: z
    .strictObject({ step: durationSchema.optional(), connect: durationSchema.optional() })
    .optional(),
  retries: z
    .strictObject({ count: z.int().min(0).max(10).optional(), backoff: durationSchema.optional() })
    .optional(),
  /** Pin the SSH host key of a device seen for the first time (trust on first use), like `--trust-new-hosts`. */
  trustNewHostKeys: z.boolean().optional(),
  /** Allow destructive steps (write erase, reload) without `--yes`. */
  confirm: z.boolean().optional(),
  /** Folder for run records, relative to the job file (default `runs` next to it). */
  records: z.string().min(1).optional(),
  steps: z.array(stepSchema).min(1),
});

export type JobFile = z.infer<typeof jobFileSchema>;
export type StepFile = z.infer<typeof stepSchema>;
