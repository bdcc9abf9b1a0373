// The record of a `netops run`, read from the file the run wrote in its records folder (`--records
// DIR`), not from its stdout: V8's traces (`--trace-opt`, `--trace-gc-nvp`) go to the same stdout as
// `--json`'s record and can land in the middle of it (a GC while the record is written), so the record
// cannot be told apart there reliably. `before` is recordFiles(DIR) taken before the run started.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The run records in `dir` (`<run id>.json`), none if it does not exist yet. */
export function recordFiles(dir) {
  try {
    return new Set(readdirSync(dir).filter((name) => name.endsWith('.json')));
  } catch (error) {
    if (error.code === 'ENOENT') return new Set();
    throw error;
  }
}

/** The one record that a run added to `dir` since `before` (a run that wrote none, or two, throws). */
export function newRunRecord(dir, before) {
  const added = [...recordFiles(dir)].filter((name) => !before.has(name));
  if (added.length !== 1) throw new Error(`expected one new run record in ${dir}, found ${added.length}`);
  return JSON.parse(readFileSync(path.join(dir, added[0]), 'utf8'));
}

/**
 * Where a run's wall went, from its record: start-up (process start to its first session), the
 * hosts (first session to the end of the last host's steps), and the end (the store's commit and
 * maintenance, the record) until the process exited. `spawnedAt` is Date.now() at the spawn.
 */
export function phasesOf(record, spawnedAt, wall) {
  const steps = record.hosts.flatMap((h) => h.steps).filter((step) => step.startedAt !== undefined);
  if (steps.length === 0) return undefined;
  const first = Math.min(...steps.map((step) => Date.parse(step.startedAt)));
  const last = Math.max(...steps.map((step) => Date.parse(step.startedAt) + step.durationMs));
  return {
    startup: (first - spawnedAt) / 1000,
    hosts: (last - first) / 1000,
    end: wall - (last - spawnedAt) / 1000,
  };
}
