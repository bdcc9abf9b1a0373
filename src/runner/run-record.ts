/**
 * The run record: one JSON file per run, written atomically, that says what happened to every host
 * and step. Its schema is exported (`netops schema`) so other tools can read records safely.
 */
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';

const status = z.enum(['ok', 'changed', 'failed', 'skipped']);

const errorRecord = z.strictObject({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const stepResultSchema = z.strictObject({
  name: z.string(),
  task: z.string(),
  status,
  startedAt: z.iso.datetime().optional(),
  durationMs: z.number().nonnegative(),
  attempts: z.int().nonnegative(),
  summary: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  /** What went differently than asked and needs no action (a refused setup command). */
  notes: z.array(z.string()).optional(),
  /** A failure the step's success would otherwise hide (a backup fallback after a failed method). */
  warnings: z.array(z.string()).optional(),
  error: errorRecord.optional(),
});

export const hostResultSchema = z.strictObject({
  host: z.string(),
  address: z.string(),
  platform: z.string().optional(),
  status,
  durationMs: z.number().nonnegative(),
  steps: z.array(stepResultSchema),
});

/** A host whose last good backup is older than the job's `alert_stale_after`. */
export const staleHostSchema = z.strictObject({
  host: z.string(),
  /** When its last good backup finished; absent when it never had one. */
  lastGoodAt: z.iso.datetime().optional(),
  /** What the age counts from: the last good backup, else the first attempt on record. */
  since: z.iso.datetime(),
  ageMs: z.number().nonnegative(),
});

export const runRecordSchema = z.strictObject({
  version: z.literal(1),
  /** The run id (run-id.ts): the record's file stem; the store tags the run's commit with it. */
  id: z.string().regex(/^[\w-]+$/),
  job: z.string(),
  jobFile: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  aborted: z.boolean(),
  exitCode: z.int().min(0).max(3),
  concurrency: z.int().positive(),
  /** Worker threads the hosts ran on (`--threads`, runner/thread-plan.ts); absent: all on the main thread. */
  threads: z.int().min(2).optional(),
  limit: z.array(z.string()),
  summary: z.strictObject({
    hosts: z.int().nonnegative(),
    ok: z.int().nonnegative(),
    changed: z.int().nonnegative(),
    failed: z.int().nonnegative(),
    skipped: z.int().nonnegative(),
    /** Hosts that succeeded with warnings (a fallback after a failed method); also counted as ok/changed. */
    withWarnings: z.int().nonnegative().optional(),
  }),
  hosts: z.array(hostResultSchema),
  /** Hosts over the job's `alert_stale_after`, whether or not this run attempted them. */
  stale: z.array(staleHostSchema).optional(),
  /** Failures of the run itself rather than of a host (e.g. the store could not commit). */
  errors: z.array(errorRecord),
});

export type StepResult = z.infer<typeof stepResultSchema>;
export type HostResult = z.infer<typeof hostResultSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;
export type StaleHost = z.infer<typeof staleHostSchema>;

/** Where a run's record goes: `DIR/<run id>.json`. */
export function recordFile(dir: string, record: Pick<RunRecord, 'id'>): string {
  return path.resolve(dir, `${record.id}.json`);
}

/** Writes the record atomically, readable by its owner only (it holds device outputs), and returns its path. */
export async function writeRunRecord(dir: string, record: RunRecord): Promise<string> {
  const file = recordFile(dir, record);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
  return file;
}
