/**
 * A run's hosts spread over the main thread and worker threads (host-thread.ts), on the main
 * thread's side: each host goes to the thread with the fewest in flight, the main thread included
 * (it has a core's share of time besides the store). A worker thread gets the store's copy of the
 * host's files and returns what its steps would have stored, which the main thread alone writes
 * (the store, the record, the output and the alerts stay single-threaded). New SSH host keys are
 * pinned here too.
 */
import { Worker } from 'node:worker_threads';
import type { Host } from '../config/model.js';
import { NetopsError, toNetopsError, type ErrorRecord } from '../core/errors.js';
import type { RunSummary, TaskContext } from '../tasks/task.js';
import { verifyHostKey } from '../transport/known-hosts.js';
import { failedHost } from './failed-host.js';
import { runHost, type JobRun } from './host-run.js';
import type { HostResult } from './run-record.js';
import { applyHostDone, previousFiles } from './store-handoff.js';
import type { FromThread, ThreadSetup, ToThread } from './thread-wire.js';

interface InFlight {
  readonly host: Host;
  readonly resolve: (done: Extract<FromThread, { type: 'done' }>) => void;
  readonly reject: (error: NetopsError) => void;
}

/** One worker thread and the hosts it has in flight. */
class Thread {
  readonly name: string;
  readonly worker: Worker;
  readonly inFlight = new Map<number, InFlight>();
  /** Why it stopped, once it has: its hosts in flight failed with this, none is sent to it again. */
  gone: NetopsError | undefined;
  closed: ((errors: readonly ErrorRecord[]) => void) | undefined;

  constructor(index: number, setup: ThreadSetup) {
    this.name = `thread ${index}`;
    this.worker = new Worker(new URL('./host-thread.js', import.meta.url), { workerData: setup });
  }

  send(message: ToThread): void {
    this.worker.postMessage(message);
  }

  /** The thread died (an exception no step caught, or it exited): its hosts fail, the others go on. */
  fail(cause: unknown): void {
    this.gone ??= new NetopsError(
      'INTERNAL',
      `${this.name} of the run stopped: ${toNetopsError(cause).message}`,
      {
        hint: 'This is a bug in netops: please report it with the run record; run the job with --threads 1 meanwhile.',
        cause,
      },
    );
    for (const [, flight] of this.inFlight) flight.reject(this.gone);
    this.inFlight.clear();
    this.closed?.([]);
  }
}

export class HostThreads {
  readonly #run: JobRun;
  readonly #threads: Thread[];
  /** Hosts in flight on the main thread. */
  #here = 0;
  #nextId = 0;

  private constructor(run: JobRun, threads: Thread[]) {
    this.#run = run;
    this.#threads = threads;
  }

  /** Starts `workers` threads for the run; an abort of `runSignal` aborts the hosts in flight on them. */
  static start(run: JobRun, workers: number, runSignal: AbortSignal): HostThreads {
    const setup: ThreadSetup = { job: run.job };
    const threads = Array.from({ length: workers }, (_, i) => new Thread(i + 1, setup));
    const pool = new HostThreads(run, threads);
    for (const thread of threads) pool.#listen(thread);
    runSignal.addEventListener('abort', () => threads.forEach((t) => t.gone ?? t.send({ type: 'abort' })), {
      once: true,
    });
    return pool;
  }

  /** How many threads run hosts: the workers and the main thread. */
  get size(): number {
    return this.#threads.length + 1;
  }

  /** The host's steps on the least busy thread; what a worker's would have stored is written here. */
  async run(host: Host, context: Omit<TaskContext, 'signal'>, signal: AbortSignal): Promise<HostResult> {
    const thread = this.#pick();
    if (!thread) return this.#runHere(host, signal);
    const ctx: TaskContext = { ...context, signal };
    const job = this.#run.job;
    try {
      const previous = await previousFiles(ctx);
      const id = this.#nextId++;
      const done = await new Promise<Extract<FromThread, { type: 'done' }>>((resolve, reject) => {
        thread.inFlight.set(id, { host, resolve, reject });
        thread.send({ type: 'host', id, host, previous });
      });
      await applyHostDone(ctx, { worker: thread.name, artefacts: done.artefacts, explanations: [] });
      return done.result;
    } catch (error) {
      return failedHost(host, job, this.#run.redact.value(toNetopsError(error).toJSON()));
    }
  }

  /** Closes the threads' resources and ends the threads; resolves with the errors of closing. */
  async close(summary: RunSummary): Promise<ErrorRecord[]> {
    const errors = await Promise.all(
      this.#threads.map(
        (thread) =>
          new Promise<readonly ErrorRecord[]>((resolve) => {
            if (thread.gone) return resolve([]);
            thread.closed = resolve;
            thread.send({ type: 'close', summary });
          }),
      ),
    );
    await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
    return errors.flat();
  }

  /** The live worker with the fewest hosts in flight, or undefined when the main thread has fewer. */
  #pick(): Thread | undefined {
    let best: Thread | undefined;
    for (const t of this.#threads) {
      if (!t.gone && t.inFlight.size < (best?.inFlight.size ?? this.#here)) best = t;
    }
    return best;
  }

  async #runHere(host: Host, signal: AbortSignal): Promise<HostResult> {
    this.#here++;
    try {
      return await runHost(host, this.#run, signal);
    } finally {
      this.#here--;
    }
  }

  #listen(thread: Thread): void {
    thread.worker.on('message', (message: FromThread) => this.#hear(thread, message));
    thread.worker.on('error', (error) => thread.fail(error));
    thread.worker.on('exit', (code) => thread.fail(new Error(`it exited with code ${code}`)));
  }

  #hear(thread: Thread, message: FromThread): void {
    const observer = this.#run.observer;
    if (message.type === 'started') {
      const flight = thread.inFlight.get(message.id);
      if (flight) observer?.hostStarted?.(flight.host);
    } else if (message.type === 'log') {
      observer?.log?.(message.host, message.message, message.fields);
    } else if (message.type === 'done') {
      thread.inFlight.get(message.id)?.resolve(message);
      thread.inFlight.delete(message.id);
    } else if (message.type === 'pin') {
      void pinFor(thread, message);
    } else {
      thread.closed?.(message.errors);
    }
  }
}

/** Verifies and pins a thread's new host key with this thread's known-hosts file, the one writer. */
async function pinFor(thread: Thread, message: Extract<FromThread, { type: 'pin' }>): Promise<void> {
  try {
    const outcome = await verifyHostKey(message.check, Buffer.from(message.keyBlob));
    thread.send({ type: 'pinned', id: message.id, outcome });
  } catch (error) {
    const e = toNetopsError(error);
    thread.send({ type: 'pinned', id: message.id, error: e.toJSON(), host: e.host });
  }
}
