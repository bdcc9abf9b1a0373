/**
 * After a run: tell people when a host failed or a config changed (the job's `notify:` section).
 * The run record is mapped to the alert here, so notify/ never depends on the runner.
 */
import type { ErrorRecord } from '../core/errors.js';
import { resolveSecret } from '../config/secrets.js';
import type { AlertInput } from '../notify/message.js';
import type { NotifySettings } from '../notify/settings.js';
import type { RunRecord } from '../runner/run-record.js';

export function alertInputFrom(record: RunRecord, links: readonly string[]): AlertInput {
  const failed = record.hosts.flatMap((h) =>
    h.steps
      .filter((s) => s.status === 'failed' && s.error)
      .map((s) => ({
        host: h.host,
        step: s.name,
        code: s.error!.code,
        message: s.error!.message,
        hint: s.error!.hint,
      })),
  );
  // Warnings of a failed host are overshadowed by its failure; notes never call for an alert.
  const warnings = record.hosts
    .filter((h) => h.status !== 'failed')
    .flatMap((h) =>
      h.steps.flatMap((s) => (s.warnings ?? []).map((message) => ({ host: h.host, step: s.name, message }))),
    );
  const changed = record.hosts.flatMap((h) =>
    h.steps
      .filter((s) => s.status === 'changed')
      .map((s) => ({ host: h.host, diff: typeof s.data?.['diff'] === 'string' ? s.data['diff'] : '' })),
  );
  return {
    job: record.job,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    counts: record.summary,
    failed,
    warnings,
    changed,
    stale: record.stale ?? [],
    aborted: record.aborted,
    links,
  };
}

/** Sends the run's alerts when the job has a `notify:` section (validated at load); delivery failures come back as run errors. */
export async function notifyRun(
  settings: NotifySettings | undefined,
  record: RunRecord,
  links: readonly string[],
): Promise<ErrorRecord[]> {
  if (settings === undefined) return [];
  // Loaded only for a job that sends alerts: most runs never load notify/.
  const { sendAlerts } = await import('../notify/send.js');
  const delivery = await sendAlerts(alertInputFrom(record, links), settings, resolveSecret);
  return delivery.errors.map((e) => e.toJSON());
}
