/**
 * A run as one worker holds it: the coordinator's plan with the worker's own TFTP server and a
 * staging folder in place of the store, the resources its hosts share (the TFTP server, the
 * placeholder key), and for each host a store of its own that captures what the steps write.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import { resolveSecret } from '../config/secrets.js';
import { NetopsError } from '../core/errors.js';
import { Redactor } from '../runner/redactor.js';
import { destructiveReasons } from '../runner/confirm.js';
import { failedHost } from '../runner/failed-host.js';
import { runHost, type JobRun } from '../runner/host-run.js';
import { readExplanation, type Explanation } from '../store/explanation.js';
import { keyedPlaceholder, KEY_FILE, readPlaceholderKey } from '../store/placeholder-key.js';
import type { StoreSettings } from '../store/settings.js';
import { storeStateDir, storeStatePath } from '../store/store-state.js';
import { tasks } from '../tasks/registry.js';
import { storeDir } from '../tasks/resources/job-store.js';
import type { Closable } from '../tasks/task.js';
import { tftpSettingsSchema, type TftpSettings } from '../tftp/settings.js';
import { CaptureStore } from '../runner/capture-store.js';
import { HostResources } from '../runner/host-resources.js';
import type { HostDone, HostJob, RunPlan } from './wire.js';

/** What a worker changes in every run it takes, from its own command line. */
export interface WorkerLocal {
  /** `--tftp-listen`: the worker's TFTP endpoints; empty keeps the job's. */
  readonly tftpListen: readonly string[];
  /** `--tftp-advertise`: the server addresses its devices are told. */
  readonly tftpAdvertise: readonly string[];
  /** `--placeholder-key`: a copy of the store's key; else the key of the job's store in this machine's state. */
  readonly placeholderKeyFile?: string | undefined;
  /** Where runs are staged: `STATE/worker/NAME`. */
  readonly stagingDir: string;
  readonly name: string;
}

export class WorkerRun {
  readonly plan: RunPlan;
  readonly #run: JobRun;
  readonly #storeDir: string;
  readonly #hosts: ReadonlyMap<string, Host>;
  /** Hosts of this run in progress here; the run's resources close when it has none for a while. */
  active = 0;
  lastUsed = Date.now();

  private constructor(plan: RunPlan, run: JobRun, storeDir: string) {
    this.plan = plan;
    this.#run = run;
    this.#storeDir = storeDir;
    this.#hosts = new Map(plan.hosts.map((h) => [h.name, h]));
  }

  /**
   * `resources`: the worker's, shared by all its runs: its TFTP server listens on fixed addresses,
   * so two runs at once must use one server. Keys naming a store are this run's (its staging folder).
   */
  static async open(
    plan: RunPlan,
    local: WorkerLocal,
    resources: Map<string, Promise<Closable>>,
  ): Promise<WorkerRun> {
    const staging = path.join(local.stagingDir, plan.runId, 'store');
    await mkdir(staging, { recursive: true, mode: 0o700 });
    const job = workerJob(plan.job, staging, local);
    const store = job.settings['store'] as StoreSettings | undefined;
    if (store?.sanitize && store.placeholders === 'keyed') {
      const original = storeDir(plan.job.dir, plan.job.settings['store'] as StoreSettings);
      const key = await workerPlaceholderKey(original, local.placeholderKeyFile);
      const placeholder = keyedPlaceholder(key);
      resources.set(
        `placeholder-key:${staging}`,
        Promise.resolve({ placeholder, close: async () => undefined }),
      );
    }
    const run: JobRun = { job, tasks, redact: new Redactor(), readSecret: resolveSecret, resources };
    return new WorkerRun(plan, run, staging);
  }

  /** Whether any of the job's steps would erase, reload or cut off `host` (runner/confirm.ts). */
  isDestructiveOn(hostName: string): boolean {
    const host = this.#host(hostName);
    return this.plan.job.steps.some(
      (step) => destructiveReasons(tasks[step.task], step.params, host) !== undefined,
    );
  }

  /**
   * The host's result when a worker (`claimant`) began its destructive steps and died: they are not
   * started again, since the device may be half erased or reloading; the host fails for a person to look.
   */
  interrupted(hostName: string, worker: string, claimant: string): HostDone {
    const host = this.#host(hostName);
    const error = new NetopsError(
      'HOST_INTERRUPTED',
      `worker ${claimant} began the destructive steps of run ${this.plan.runId} on ${host.name} and did not finish them; they were not started again`,
      {
        hint: `Check ${host.name} by hand (its console if it was erasing or reloading), then run the job again with --limit ${host.name}.`,
      },
    );
    return {
      host: host.name,
      worker,
      result: failedHost(host, this.plan.job, error.toJSON()),
      artefacts: [],
      explanations: [],
    };
  }

  /** One host's steps, as a local run would do them, and what they would have stored. */
  async runHost(job: HostJob, worker: string, signal: AbortSignal): Promise<HostDone> {
    const host = this.#host(job.host);
    const capture = new CaptureStore(this.#storeDir, job.previous);
    const resources = new HostResources(this.#run.resources, `store:${this.#storeDir}`, capture);
    const result = await runHost(host, { ...this.#run, resources }, signal);
    const artefacts = capture.artefacts();
    return { host: host.name, worker, result, artefacts, explanations: await this.#explanations(host.name) };
  }

  #host(name: string): Host {
    const host = this.#hosts.get(name);
    if (!host) {
      throw new NetopsError('QUEUE_FAILED', `run ${this.plan.runId} has no host ${name}`, {
        hint: 'The run in Redis and its jobs disagree; start the run again.',
      });
    }
    return host;
  }

  /** The explanation of the host's last stored config, when this run wrote one. */
  async #explanations(host: string): Promise<Explanation[]> {
    try {
      return [await readExplanation(this.#storeDir, host)];
    } catch {
      return [];
    }
  }

  /** Forgets the run's own resources and removes its staging folder (and the state beside it). */
  async close(): Promise<void> {
    for (const key of [...this.#run.resources.keys()]) {
      if (key.endsWith(`:${this.#storeDir}`)) this.#run.resources.delete(key);
    }
    const state = await storeStatePath(this.#storeDir).catch(() => undefined);
    if (state) await rm(state.dir, { recursive: true, force: true });
    await rm(path.dirname(this.#storeDir), { recursive: true, force: true });
  }
}

/** The plan's job with this worker's TFTP endpoints and its staging folder as the store. */
function workerJob(job: Job, staging: string, local: WorkerLocal): Job {
  const settings: Record<string, unknown> = { ...job.settings };
  const store = settings['store'] as StoreSettings | undefined;
  if (store) settings['store'] = { ...store, dir: staging };
  if (local.tftpListen.length > 0)
    settings['tftp'] = workerTftp(settings['tftp'] as TftpSettings | undefined, local);
  return { ...job, settings };
}

function workerTftp(job: TftpSettings | undefined, local: WorkerLocal): TftpSettings {
  const advertise: Record<string, string> = {};
  for (const address of local.tftpAdvertise) advertise[address.includes(':') ? 'ipv6' : 'ipv4'] = address;
  return tftpSettingsSchema.parse({
    listen: local.tftpListen,
    advertise,
    ...(job ? { timeout: job.timeout, maxTransfers: job.maxTransfers, maxFileBytes: job.maxFileBytes } : {}),
    ...(job?.allow ? { allow: job.allow } : {}),
  });
}

/**
 * The store's placeholder key, which the worker never makes: a different key would change every
 * placeholder of the hosts it backs up. `--placeholder-key FILE`, else the key this machine's state
 * folder holds for the job's store (a worker beside the coordinator).
 */
async function workerPlaceholderKey(store: string, file: string | undefined): Promise<Buffer> {
  const where = file ?? path.join(await storeStateDir(store), KEY_FILE);
  const key = await readPlaceholderKey(where);
  if (key) return key;
  throw new NetopsError(
    'CONFIG_INVALID',
    `this worker has no placeholder key for the store ${store} (looked at ${where})`,
    {
      hint: "Copy the store's placeholder.key from the coordinator's state folder to this machine (mode 0600) and start the worker with --placeholder-key FILE.",
    },
  );
}
