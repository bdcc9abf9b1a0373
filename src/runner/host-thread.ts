/**
 * A worker thread of a run (started by host-threads.ts): runs the hosts the main thread sends it,
 * each with the real task registry, against a capture store (the main thread alone writes the
 * store); logs, results and new SSH host keys go to the main thread.
 */
import { setMaxListeners } from 'node:events';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { resolveSecret } from '../config/secrets.js';
import { NetopsError, toNetopsError, type ErrorRecord } from '../core/errors.js';
import type { StoreSettings } from '../store/settings.js';
import { tasks } from '../tasks/registry.js';
import { storeDir, storeResourceKey } from '../tasks/resources/job-store.js';
import { TFTP_RESOURCE } from '../tasks/resources/job-tftp.js';
import type { Closable, RunSummary } from '../tasks/task.js';
import { pinThrough, type HostKeyCheck } from '../transport/known-hosts.js';
import { CaptureStore } from './capture-store.js';
import { HostResources } from './host-resources.js';
import { Redactor } from './redactor.js';
import { runHost, type JobRun } from './host-run.js';
import type { FromThread, ThreadError, ThreadSetup, ToThread } from './thread-wire.js';

/** The run's resources in this thread; the hosted TFTP server is the main thread's alone. */
class ThreadResources extends Map<string, Promise<Closable>> {
  override get(key: string): Promise<Closable> | undefined {
    if (key !== TFTP_RESOURCE) return super.get(key);
    return Promise.reject(
      new NetopsError('INTERNAL', 'a step asked for the hosted TFTP server in a worker thread', {
        hint: "This is a bug in netops (the step's task must say usesHostedTftp); run the job with --threads 1 meanwhile.",
      }),
    );
  }
}

const port = parentPort as MessagePort;
const { job } = workerData as ThreadSetup;
const post = (message: FromThread) => port.postMessage(message);
const interrupted = new AbortController();
// Every step in flight listens for the run's abort: one listener per busy host.
setMaxListeners(0, interrupted.signal);
const shared = new ThreadResources();
const run: JobRun = {
  job,
  tasks,
  redact: new Redactor(),
  readSecret: resolveSecret,
  resources: shared,
  observer: { log: (host, message, fields) => post({ type: 'log', host, message, fields }) },
};
const store = job.settings['store'] as StoreSettings | undefined;
const storeKey = store ? storeResourceKey(storeDir(job.dir, store)) : undefined;

/** Host keys this thread asked the main thread to pin, by request id. */
const pins = new Map<number, { resolve: (o: 'known' | 'pinned') => void; reject: (e: Error) => void }>();
let nextPin = 0;
pinThrough(
  (check: HostKeyCheck, keyBlob: Buffer) =>
    new Promise((resolve, reject) => {
      const id = nextPin++;
      pins.set(id, { resolve, reject });
      post({ type: 'pin', id, check, keyBlob });
    }),
);

port.on('message', (message: ToThread) => {
  if (message.type === 'host') void runOne(message);
  else if (message.type === 'abort') interrupted.abort();
  else if (message.type === 'pinned') settlePin(message);
  else void closeResources(message.summary).then((errors) => post({ type: 'closed', errors }));
});

async function runOne(message: Extract<ToThread, { type: 'host' }>): Promise<void> {
  const capture = new CaptureStore(store ? storeDir(job.dir, store) : job.dir, message.previous);
  const resources = storeKey ? new HostResources(shared, storeKey, capture) : shared;
  post({ type: 'started', id: message.id });
  const result = await runHost(message.host, { ...run, resources }, interrupted.signal);
  post({ type: 'done', id: message.id, result, artefacts: capture.artefacts() });
}

function settlePin(message: Extract<ToThread, { type: 'pinned' }>): void {
  const waiting = pins.get(message.id);
  pins.delete(message.id);
  if ('outcome' in message) waiting?.resolve(message.outcome);
  else waiting?.reject(errorOf(message));
}

/** The main thread's error as the one it threw (HOSTKEY_CHANGED: another host pinned that address meanwhile). */
function errorOf({ error, host }: ThreadError): NetopsError {
  return new NetopsError(error.code, error.message, {
    hint: error.hint,
    ...(host === undefined ? {} : { host }),
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

async function closeResources(summary: RunSummary): Promise<ErrorRecord[]> {
  const errors: ErrorRecord[] = [];
  for (const pending of shared.values()) {
    try {
      await (await pending).close(summary);
    } catch (error) {
      errors.push(run.redact.value(toNetopsError(error).toJSON()));
    }
  }
  return errors;
}
