/** The flags of `netops run`, shared by its definition, the plan/validate step and the run itself. */
import type { QueueAccessFlags } from './queue-access.js';

export interface RunFlags extends QueueAccessFlags {
  inventory?: string[];
  limit?: string[];
  concurrency?: number;
  /** `--threads N|auto`: worker threads for the hosts' sessions (runner/thread-plan.ts). */
  threads?: number | 'auto';
  plan?: boolean;
  yes?: boolean;
  json?: boolean;
  quiet?: boolean;
  records?: string;
  acceptShrink?: string[];
  trustNewHosts?: boolean;
  /** `--retry-failed [RUN_ID|last]`: true when given without a run id. */
  retryFailed?: string | true;
  /** `--report FORMAT FILE`, repeatable: the values in pairs. */
  report?: string[];
  /** `--queue URL`: hand the hosts to workers through Redis (queue/). */
  queue?: string;
  /** `--resume RUN_ID`: finish a queued run from what Redis holds. */
  resume?: string;
  /** `--site-timeout SECONDS`: how long a site may have no worker before its hosts fail. */
  siteTimeout?: number;
}
