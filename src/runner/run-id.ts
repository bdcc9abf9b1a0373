import { jobSlug } from '../store/revisions.js';

/**
 * THE run id: the stem of the run record's file, `<start time>-<job>`, e.g.
 * `2026-11-29T02-00-00-412Z-nightly-backup`. Only letters, digits, `-` and `_`, so it is also a
 * valid git tag and file name (the store tags each run's commit with it) and sorts by time for a job.
 */
export function runIdOf(startedAt: string, job: string): string {
  return `${startedAt.replace(/[:.]/g, '-')}-${jobSlug(job)}`;
}
