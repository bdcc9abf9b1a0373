/**
 * `netops run --queue`: the local run hands each host to a worker of the host's site instead of
 * running its steps here. Everything else is the local run's own code: the runner builds the
 * record and calls the observer, the job's store resource takes each host's files and makes the
 * run's one commit when the run ends, alerts and the record are written by `netops run` as always.
 */
import type { Queue, QueueEvents } from 'bullmq';
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import { now } from '../core/clock.js';
import { NetopsError, toNetopsError, type ErrorRecord } from '../core/errors.js';
import { failedHost } from '../runner/failed-host.js';
import { runIdOf } from '../runner/run-id.js';
import type { HostRunner } from '../runner/runner.js';
import type { TaskContext } from '../tasks/task.js';
import { redisOptions, probeRedis, type QueueAccess } from './connection.js';
import { applyHostDone, previousFiles } from '../runner/store-handoff.js';
import {
  DEFAULT_SITE,
  FINISHED_KEPT_SECONDS,
  hostJobId,
  keys,
  QUEUE_PREFIX,
  RUN_TTL_SECONDS,
  siteQueue,
} from './names.js';
import { commands, type RedisCommands } from './redis-commands.js';
import { ResultCollector } from './results.js';
import type { FinishedRun, HostJob, RunPlan } from './wire.js';

type ConnectionOptions = Awaited<ReturnType<typeof redisOptions>>['options'];

export const siteOf = (host: Host): string => host.site ?? DEFAULT_SITE;

export class QueueCoordinator {
  readonly #connection: ConnectionOptions;
  #redis!: RedisCommands;
  readonly #control: Queue;
  /** BullMQ's Queue class, loaded by connect(). */
  readonly #Queue: typeof Queue;
  readonly #queues = new Map<string, Queue<HostJob>>();
  readonly #events: QueueEvents[] = [];
  #collector: ResultCollector | undefined;
  #plan: RunPlan | undefined;

  private constructor(connection: ConnectionOptions, QueueClass: typeof Queue) {
    this.#connection = connection;
    this.#Queue = QueueClass;
    this.#control = new QueueClass(siteQueue(DEFAULT_SITE), { prefix: QUEUE_PREFIX, connection });
  }

  /** Connects, or fails with QUEUE_UNREACHABLE before anything is planned or contacted. */
  static async connect(access: QueueAccess): Promise<QueueCoordinator> {
    const { options, where } = await redisOptions(access);
    await probeRedis(options, where);
    const { Queue } = await import('bullmq');
    const coordinator = new QueueCoordinator(options, Queue);
    coordinator.#redis = commands(await coordinator.#control.client);
    return coordinator;
  }

  /** A new run: its plan goes to Redis before any host is enqueued, so `--resume` can always finish it. */
  async begin(job: Job, hosts: readonly Host[], siteTimeout: number): Promise<RunPlan> {
    const startedAt = now().toISOString();
    const plan: RunPlan = {
      version: 1,
      runId: runIdOf(startedAt, job.name),
      startedAt,
      job,
      hosts,
      siteTimeout,
    };
    await this.#redis.set(keys.run(plan.runId), JSON.stringify(plan), 'EX', RUN_TTL_SECONDS);
    await this.#redis.zadd(keys.runs, Date.parse(startedAt), plan.runId);
    return plan;
  }

  /** The plan of a run Redis holds (`--resume RUN_ID`). */
  async load(runId: string, jobName: string): Promise<RunPlan> {
    if ((await this.#redis.get(keys.finished(runId))) !== null) {
      throw new NetopsError(
        'CONFIG_INVALID',
        `run ${runId} has finished: every host has its outcome and its record`,
        {
          hint: 'Nothing to resume; to work on its failed hosts again, use --retry-failed RUN_ID without --resume.',
        },
      );
    }
    const text = await this.#redis.get(keys.run(runId));
    if (text === null) {
      throw new NetopsError('CONFIG_INVALID', `the queue holds no run ${runId}`, {
        hint: 'Check the run id (netops queue status lists the runs Redis holds); runs expire 7 days after they start.',
      });
    }
    const plan = JSON.parse(text) as RunPlan;
    if (plan.job.name !== jobName) {
      throw new NetopsError('CONFIG_INVALID', `run ${runId} is of job "${plan.job.name}", not "${jobName}"`, {
        hint: `Resume it with the job file of "${plan.job.name}" (${plan.job.file}).`,
      });
    }
    return plan;
  }

  /** Starts reading results, and hears of hosts BullMQ gave up on. */
  async watch(plan: RunPlan): Promise<void> {
    const collector = new ResultCollector(this.#redis, plan.runId, plan.siteTimeout * 1000, (host, site) =>
      this.#queue(site)
        .remove(hostJobId(plan.runId, host))
        .then(() => undefined),
    );
    this.#collector = collector;
    this.#plan = plan;
    const { QueueEvents } = await import('bullmq');
    for (const site of new Set(plan.hosts.map(siteOf))) {
      const events = new QueueEvents(siteQueue(site), { prefix: QUEUE_PREFIX, connection: this.#connection });
      events.on('failed', ({ jobId, failedReason }) => {
        const host = hostOfJob(plan.runId, jobId);
        if (host) collector.fail(host, workerGaveUp(host, failedReason));
      });
      this.#events.push(events);
      await events.waitUntilReady();
    }
    await collector.start();
    await this.#settleFailedJobs(plan);
  }

  /** A resumed run's hosts that BullMQ failed while no coordinator listened. */
  async #settleFailedJobs(plan: RunPlan): Promise<void> {
    for (const host of plan.hosts) {
      if (this.#collector?.known(host.name)) continue;
      const job = await this.#queue(siteOf(host)).getJob(hostJobId(plan.runId, host.name));
      if (job && (await job.isFailed()))
        this.#collector?.fail(host.name, workerGaveUp(host.name, job.failedReason));
    }
  }

  /** The runner's host runner for this run: enqueue, wait for the worker, put its files in the store. */
  hostRunner(plan: RunPlan): HostRunner {
    return async (host, context, signal) => {
      const collector = this.#collector!;
      const ctx: TaskContext = { ...context, signal };
      if (!collector.known(host.name)) await this.#enqueue(plan, host, ctx);
      const onAbort = () => collector.abandon(interrupted());
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const outcome = await collector.wait(host.name, siteOf(host));
        if ('failed' in outcome) return failedHost(host, plan.job, outcome.failed);
        try {
          await applyHostDone(ctx, outcome.done);
        } catch (error) {
          return failedHost(host, plan.job, toNetopsError(error).toJSON());
        }
        return outcome.done.result;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    };
  }

  async #forget(plan: RunPlan, done: number): Promise<void> {
    const finished: FinishedRun = {
      job: plan.job.name,
      hosts: plan.hosts.length,
      done,
      sites: [...new Set(plan.hosts.map(siteOf))].sort(),
      finishedAt: new Date().toISOString(),
    };
    await this.#redis.set(keys.finished(plan.runId), JSON.stringify(finished), 'EX', RUN_TTL_SECONDS);
    // Kept a while for a look at what went through Redis, then gone: 10,000 configs weigh ~80 MB.
    await this.#redis.expire(keys.run(plan.runId), FINISHED_KEPT_SECONDS);
    await this.#redis.expire(keys.results(plan.runId), FINISHED_KEPT_SECONDS);
  }

  async #enqueue(plan: RunPlan, host: Host, ctx: TaskContext): Promise<void> {
    const data: HostJob = { runId: plan.runId, host: host.name, previous: await previousFiles(ctx) };
    await this.#queue(siteOf(host)).add('host', data, {
      // The same id for the same host of the same run: a resumed run's enqueue adds nothing.
      jobId: hostJobId(plan.runId, host.name),
      // A worker that threw (not a failed device: that is a result) gets one more try elsewhere.
      attempts: 2,
      removeOnComplete: true,
      removeOnFail: { age: RUN_TTL_SECONDS },
    });
  }

  #queue(site: string): Queue<HostJob> {
    let queue = this.#queues.get(site);
    if (!queue) {
      queue = new this.#Queue<HostJob>(siteQueue(site), {
        prefix: QUEUE_PREFIX,
        connection: this.#connection,
      });
      this.#queues.set(site, queue);
    }
    return queue;
  }

  /**
   * Ends the coordinator's part. A run whose every host has an outcome (the record is written by
   * then) leaves its summary in Redis; its plan and results, whole configs, expire within the hour.
   */
  async close(): Promise<void> {
    await this.#collector?.stop();
    const settled = this.#collector?.settled();
    const plan = this.#plan;
    if (plan && settled && settled.waiting === 0 && settled.outcomes === plan.hosts.length) {
      await this.#forget(plan, settled.outcomes).catch(() => undefined);
    }
    for (const events of this.#events) await events.close();
    for (const queue of this.#queues.values()) await queue.close();
    await this.#control.close();
  }
}

function hostOfJob(runId: string, jobId: string): string | undefined {
  const prefix = `${runId}/`;
  return jobId.startsWith(prefix) ? jobId.slice(prefix.length) : undefined;
}

function workerGaveUp(host: string, reason: string | undefined): ErrorRecord {
  return new NetopsError('QUEUE_FAILED', `the queue gave up on ${host}: ${reason ?? 'no reason given'}`, {
    hint: 'Its workers died or failed on it repeatedly (see their logs); run the host again with --retry-failed.',
    host,
  }).toJSON();
}

function interrupted(): ErrorRecord {
  return new NetopsError('ABORTED', 'the run was interrupted before a worker returned this host', {
    hint: 'Resume it with netops run JOB --queue URL --resume RUN_ID: the workers go on with what was enqueued.',
  }).toJSON();
}
