/**
 * Names netops uses in Redis: one BullMQ queue per site (a host goes to the workers of its site),
 * one job per host and run (its id makes a second enqueue of the same host a no-op), and the keys
 * of the run's own state (plan, results, workers), all under one prefix.
 */
export const QUEUE_PREFIX = 'netops';

/** The site of a host without `site:` in the inventory, and of a worker without `--site`. */
export const DEFAULT_SITE = 'default';

/** The BullMQ queue of a site (BullMQ refuses `:` in queue names). */
export const siteQueue = (site: string): string => `site-${site}`;

/** One job per host per run: enqueueing it again (a resumed run) adds nothing. */
export const hostJobId = (runId: string, host: string): string => `${runId}/${host}`;

export const keys = {
  /** Hash: worker name -> WorkerAd JSON, refreshed while the worker lives. */
  workers: `${QUEUE_PREFIX}:workers`,
  /** Sorted set of run ids by start time: what `queue status` lists and `--resume` finds. */
  runs: `${QUEUE_PREFIX}:runs`,
  /** String: the run's plan (RunPlan JSON), written before its first host is enqueued. */
  run: (runId: string) => `${QUEUE_PREFIX}:run:${runId}`,
  /** List: the hosts' results (HostDone JSON), in the order workers finished them. */
  results: (runId: string) => `${QUEUE_PREFIX}:run:${runId}:results`,
  /** String: the worker that began a host's destructive steps (set once: they never start twice). */
  claim: (runId: string, host: string) => `${QUEUE_PREFIX}:run:${runId}:claim:${host}`,
  /** String: a finished run's summary (FinishedRun JSON), which replaces its plan and results. */
  finished: (runId: string) => `${QUEUE_PREFIX}:run:${runId}:finished`,
};

/** How long a run's plan and results stay in Redis after it starts: long enough to resume it. */
export const RUN_TTL_SECONDS = 7 * 24 * 3600;

/** How long a finished run's plan and results stay (its summary stays RUN_TTL_SECONDS). */
export const FINISHED_KEPT_SECONDS = 3600;
