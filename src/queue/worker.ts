/**
 * `netops worker`: takes hosts from its site's queue and runs their steps with the same tasks as a
 * local run (its own TFTP server, SNMP, sessions), then hands each host's result and sanitized
 * files back through Redis. BullMQ holds a lock on each host it works on: a worker that dies stops
 * renewing it, and the host is put back on the queue for another worker (stalled-job detection).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { Job, Worker } from 'bullmq';
import { NetopsError, toNetopsError } from '../core/errors.js';
import { parseAddress } from '../net/address.js';
import { parseEndpoint } from '../net/endpoint.js';
import { redisOptions, probeRedis, type QueueAccess } from './connection.js';
import { keys, QUEUE_PREFIX, RUN_TTL_SECONDS, siteQueue } from './names.js';
import { HEARTBEAT_MS, type HostDone, type HostJob, type RunPlan, type WorkerAd } from './wire.js';
import { commands } from './redis-commands.js';
import { WorkerRun, type WorkerLocal } from './worker-run.js';
import type { Closable, RunSummary } from '../tasks/task.js';

export interface WorkerOptions extends Omit<WorkerLocal, 'name'> {
  readonly access: QueueAccess;
  /** Its name in `queue status` and in each host's result (`netops worker` makes it MACHINE-PID). */
  readonly name: string;
  /** @default 'default' */
  readonly site: string;
  /** Hosts worked on at once. */
  readonly concurrency: number;
  /** How long a host's lock lasts without renewal: a dead worker's hosts go back to the queue after it. */
  readonly stalledMs: number;
  /** One line per host finished, and the worker's own news. */
  readonly log: (line: string) => void;
}

/** Runs idle this long here have their TFTP server closed and staging folder removed. */
const RUN_IDLE_MS = 30_000;

export class QueueWorker {
  readonly name: string;
  readonly #options: WorkerOptions;
  readonly #runs = new Map<string, Promise<WorkerRun>>();
  readonly #stop = new AbortController();
  /** The TFTP server and the like, shared by the runs in progress here; closed when none is. */
  readonly #resources = new Map<string, Promise<Closable>>();
  #worker: Worker<HostJob> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ad: WorkerAd;

  private constructor(options: WorkerOptions, name: string) {
    this.#options = options;
    this.name = name;
    const now = new Date().toISOString();
    this.#ad = {
      name,
      site: options.site,
      families: tftpFamilies(options.tftpListen),
      machine: hostname(),
      pid: process.pid,
      concurrency: options.concurrency,
      startedAt: now,
      seenAt: now,
    };
  }

  /** Connects (QUEUE_UNREACHABLE if it cannot), advertises itself and starts taking hosts. */
  static async start(options: WorkerOptions): Promise<QueueWorker> {
    const name = options.name;
    const { options: connection, where } = await redisOptions(options.access);
    await probeRedis(connection, where);
    const self = new QueueWorker(options, name);
    const { Worker } = await import('bullmq');
    const worker = new Worker<HostJob, string>(siteQueue(options.site), (job) => self.#process(job), {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: options.concurrency,
      name,
      lockDuration: options.stalledMs,
      stalledInterval: options.stalledMs,
      // A host whose worker died is put back twice at most, then fails with BullMQ's reason.
      maxStalledCount: 2,
    });
    worker.on('error', (error) => options.log(`queue error: ${error.message}`));
    self.#worker = worker;
    await worker.waitUntilReady();
    await self.#heartbeat();
    self.#timer = setInterval(() => void self.#tick(), HEARTBEAT_MS);
    return self;
  }

  /** Finishes the hosts in progress (or, with `force`, aborts them), then leaves the queue. */
  async close(force = false): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (force) this.#stop.abort();
    await this.#worker?.close(force);
    const client = await this.#worker?.client.catch(() => undefined);
    if (client)
      await commands(client)
        .hdel(keys.workers, this.name)
        .catch(() => undefined);
    for (const [id, run] of this.#runs) {
      this.#runs.delete(id);
      await (await run.catch(() => undefined))?.close();
    }
    await this.#closeResources();
    await this.#worker?.disconnect();
  }

  async #process(job: Job<HostJob>): Promise<string> {
    const run = await this.#run(job.data.runId);
    run.active++;
    try {
      const done = (await this.#claimed(run, job.data))
        ? await run.runHost(job.data, this.name, this.#stop.signal)
        : run.interrupted(job.data.host, this.name, await this.#claimant(job.data));
      await this.#deliver(job.data.runId, done);
      this.#options.log(`${done.host} ${done.result.status} (run ${job.data.runId})`);
      return done.result.status;
    } finally {
      run.active--;
      run.lastUsed = Date.now();
    }
  }

  /**
   * Whether this worker may run the host's steps. The queue gives a host whose worker died to
   * another worker; steps that erase or reload must not start twice on a device, so their first
   * worker claims the host in Redis, and a second one finds the claim and runs nothing.
   */
  async #claimed(run: WorkerRun, job: HostJob): Promise<boolean> {
    if (!run.isDestructiveOn(job.host)) return true;
    const client = commands(await this.#worker!.client);
    const key = keys.claim(job.runId, job.host);
    return (await client.set(key, this.name, 'EX', RUN_TTL_SECONDS, 'NX')) === 'OK';
  }

  async #claimant(job: HostJob): Promise<string> {
    const client = commands(await this.#worker!.client);
    return (await client.get(keys.claim(job.runId, job.host))) ?? 'unknown';
  }

  /** The host's result goes on the run's result list; the coordinator keeps the first per host. */
  async #deliver(runId: string, done: HostDone): Promise<void> {
    const client = commands(await this.#worker!.client);
    await client.rpush(keys.results(runId), JSON.stringify(done));
    await client.expire(keys.results(runId), RUN_TTL_SECONDS);
  }

  #run(runId: string): Promise<WorkerRun> {
    let run = this.#runs.get(runId);
    if (!run) {
      run = this.#openRun(runId);
      this.#runs.set(runId, run);
      run.catch(() => this.#runs.delete(runId));
    }
    return run;
  }

  async #openRun(runId: string): Promise<WorkerRun> {
    const client = commands(await this.#worker!.client);
    const text = await client.get(keys.run(runId));
    if (text === null) {
      throw new NetopsError('QUEUE_FAILED', `Redis holds no plan for run ${runId}`, {
        hint: 'The run expired or was removed from Redis; start it again.',
      });
    }
    const { stagingDir, tftpListen, tftpAdvertise, placeholderKeyFile } = this.#options;
    const local = {
      name: this.name,
      stagingDir: path.join(stagingDir, this.name),
      tftpListen,
      tftpAdvertise,
      placeholderKeyFile,
    };
    return WorkerRun.open(JSON.parse(text) as RunPlan, local, this.#resources);
  }

  async #heartbeat(): Promise<void> {
    this.#ad = { ...this.#ad, seenAt: new Date().toISOString() };
    const client = commands(await this.#worker!.client);
    await client.hset(keys.workers, this.name, JSON.stringify(this.#ad));
  }

  /** Says it is alive, and closes the runs nobody here has worked on for a while. */
  async #tick(): Promise<void> {
    try {
      await this.#heartbeat();
    } catch (error) {
      this.#options.log(`heartbeat failed: ${toNetopsError(error).message}`);
    }
    for (const [id, pending] of this.#runs) {
      const run = await pending.catch(() => undefined);
      if (run && run.active === 0 && Date.now() - run.lastUsed > RUN_IDLE_MS) {
        this.#runs.delete(id);
        await run.close();
      }
    }
    if (this.#runs.size === 0) await this.#closeResources();
  }

  async #closeResources(): Promise<void> {
    const summary = idleSummary();
    for (const [key, pending] of [...this.#resources]) {
      this.#resources.delete(key);
      await (await pending.catch(() => undefined))?.close(summary).catch(() => undefined);
    }
  }
}

/** What resources hear when a worker closes them: no run of its own ends (the coordinator's does). */
function idleSummary(): RunSummary {
  return {
    runId: '',
    job: '',
    startedAt: new Date().toISOString(),
    counts: { ok: 0, changed: 0, failed: 0, skipped: 0 },
    changedHosts: [],
    failedHosts: [],
    aborted: false,
  };
}

/** The address families of the TFTP endpoints (a wildcard `[::]` listens on both); none given: both. */
function tftpFamilies(listen: readonly string[]): (4 | 6)[] {
  if (listen.length === 0) return [4, 6];
  const families = new Set<4 | 6>();
  for (const text of listen) {
    const address = parseAddress(parseEndpoint(text, 69).address);
    if (!address) continue;
    const wildcard = address.bytes.every((b) => b === 0);
    if (address.family === 4 || !wildcard) families.add(address.family);
    else for (const f of [4, 6] as const) families.add(f);
  }
  return [...families].sort();
}
