/**
 * After a run of a job with `alert_stale_after`: which of the inventory's hosts have had no good
 * run for longer, from the history on disk plus this run. A host this run skipped (`--limit`,
 * `--retry-failed`, an earlier step failed) still counts: its last good run is what matters.
 */
import type { Host } from '../../config/model.js';
import type { Job } from '../../config/job.js';
import { now } from '../../core/clock.js';
import { hostStatuses, staleHosts } from '../../runner/host-status.js';
import { indexEntryOf, readRunHistory } from '../../runner/run-index.js';
import type { RunRecord, StaleHost } from '../../runner/run-record.js';

export async function staleAfterRun(
  job: Job,
  record: RunRecord,
  recordsDir: string,
  inventory: readonly Host[],
): Promise<StaleHost[] | undefined> {
  const thresholdMs = job.settings['alert_stale_after'] as number | undefined;
  if (thresholdMs === undefined) return undefined;
  const history = await readRunHistory(recordsDir);
  const entries = [...history.entries, indexEntryOf(record, inventory)].filter((e) => e.job === job.name);
  const names = new Set(inventory.map((h) => h.name));
  const statuses = hostStatuses(entries, now()).filter((s) => names.has(s.host));
  return staleHosts(statuses, thresholdMs);
}
