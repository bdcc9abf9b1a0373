/** A host whose steps could not run where they were sent (no worker, a worker thread that died). */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { ErrorRecord } from '../core/errors.js';
import type { HostResult } from './run-record.js';

/** Its first step failed with `error`, the others skipped. */
export function failedHost(host: Host, job: Job, error: ErrorRecord): HostResult {
  return {
    host: host.name,
    address: host.address,
    ...(host.platform === undefined ? {} : { platform: host.platform }),
    status: 'failed',
    durationMs: 0,
    steps: job.steps.map((step, i) =>
      i === 0
        ? {
            name: step.name,
            task: step.task,
            status: 'failed',
            durationMs: 0,
            attempts: 0,
            summary: error.message,
            error,
          }
        : {
            name: step.name,
            task: step.task,
            status: 'skipped',
            durationMs: 0,
            attempts: 0,
            summary: 'an earlier step failed',
          },
    ),
  };
}
