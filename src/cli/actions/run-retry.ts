/** `netops run JOB --retry-failed [RUN_ID|last]`: the hosts that failed in that run of this job, from the run history. */
import type { Host } from '../../config/model.js';
import type { Job } from '../../config/job.js';
import { NetopsError } from '../../core/errors.js';
import { readRunHistory, type IndexEntry } from '../../runner/run-index.js';

export interface RetrySelection {
  readonly runId: string;
  /** The selected hosts that failed in that run. */
  readonly hosts: Host[];
  /** Hosts that failed then but are not in the inventory (or the limit) now. */
  readonly missing: string[];
}

export async function retryFailed(
  job: Job,
  recordsDir: string,
  which: string | true,
  hosts: readonly Host[],
): Promise<RetrySelection> {
  const runs = (await readRunHistory(recordsDir)).entries.filter((e) => e.job === job.name);
  const run = which === true || which === 'last' ? runs.at(-1) : runs.find((e) => e.id === which);
  if (!run) throw unknownRun(job, recordsDir, which, runs);
  const failed = new Set(run.hosts.filter((h) => h.status === 'failed').map((h) => h.host));
  const selected = hosts.filter((h) => failed.has(h.name));
  const present = new Set(selected.map((h) => h.name));
  return { runId: run.id, hosts: selected, missing: [...failed].filter((name) => !present.has(name)) };
}

function unknownRun(job: Job, dir: string, which: string | true, runs: readonly IndexEntry[]): NetopsError {
  const recent = runs
    .slice(-3)
    .map((r) => r.id)
    .join(', ');
  return new NetopsError(
    'CONFIG_INVALID',
    which === true || which === 'last'
      ? `--retry-failed: job "${job.name}" has no run on record in ${dir}`
      : `--retry-failed: no run "${which}" of job "${job.name}" in ${dir}`,
    {
      hint: recent
        ? `Give a run id (a record's file name in ${dir} without .json; latest: ${recent}) or "last".`
        : 'Run the job once first; --retry-failed re-runs the hosts that failed in a recorded run.',
    },
  );
}
