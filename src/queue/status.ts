/**
 * `netops queue status`: what Redis says about the scale-out: the workers and their sites (live or
 * gone silent), per site how many hosts wait, are in progress or failed, and per run how many of
 * its hosts are done.
 */
import { redisOptions, probeRedis, type QueueAccess } from './connection.js';
import { DEFAULT_SITE, keys, QUEUE_PREFIX, siteQueue } from './names.js';
import { commands, type RedisCommands } from './redis-commands.js';
import { isLive, type FinishedRun, type RunPlan, type WorkerAd } from './wire.js';

export interface QueueStatus {
  readonly workers: ReadonlyArray<WorkerAd & { readonly live: boolean }>;
  readonly sites: ReadonlyArray<{
    readonly site: string;
    readonly waiting: number;
    readonly active: number;
    readonly failed: number;
  }>;
  readonly runs: ReadonlyArray<{
    readonly id: string;
    readonly job: string;
    readonly hosts: number;
    readonly done: number;
    readonly sites: readonly string[];
  }>;
}

/** The last runs shown. */
const RUNS_SHOWN = 20;

export async function queueStatus(access: QueueAccess): Promise<QueueStatus> {
  const { options, where } = await redisOptions(access);
  await probeRedis(options, where);
  const { Queue } = await import('bullmq');
  const control = new Queue(siteQueue(DEFAULT_SITE), { prefix: QUEUE_PREFIX, connection: options });
  try {
    const redis = commands(await control.client);
    const at = Date.now();
    const workers = Object.values(await redis.hgetall(keys.workers))
      .map((text) => JSON.parse(text) as WorkerAd)
      .map((ad) => ({ ...ad, live: isLive(ad, at) }))
      .sort((a, b) => a.site.localeCompare(b.site) || a.name.localeCompare(b.name));
    const runs = [];
    for (const id of await redis.zrevrange(keys.runs, 0, RUNS_SHOWN - 1)) {
      const run = await runStatus(redis, id);
      if (run) runs.push(run);
    }
    const siteNames = [
      ...new Set([DEFAULT_SITE, ...workers.map((w) => w.site), ...runs.flatMap((r) => r.sites)]),
    ].sort();
    const sites = [];
    for (const site of siteNames) {
      const queue = new Queue(siteQueue(site), { prefix: QUEUE_PREFIX, connection: options });
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed');
      await queue.close();
      sites.push({
        site,
        waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0),
        active: counts['active'] ?? 0,
        failed: counts['failed'] ?? 0,
      });
    }
    return { workers, sites, runs };
  } finally {
    await control.close();
  }
}

/** A run in progress (its plan and results) or finished (its summary); undefined once expired. */
async function runStatus(redis: RedisCommands, id: string): Promise<QueueStatus['runs'][number] | undefined> {
  const finished = await redis.get(keys.finished(id));
  if (finished !== null) {
    const { job, hosts, done, sites } = JSON.parse(finished) as FinishedRun;
    return { id, job, hosts, done, sites };
  }
  const text = await redis.get(keys.run(id));
  if (text === null) return undefined;
  const plan = JSON.parse(text) as RunPlan;
  const results = await redis.lrange(keys.results(id), 0, -1);
  const done = new Set(results.map((r) => (JSON.parse(r) as { host: string }).host));
  const sites = [...new Set(plan.hosts.map((h) => h.site ?? DEFAULT_SITE))].sort();
  return { id, job: plan.job.name, hosts: plan.hosts.length, done: done.size, sites };
}
