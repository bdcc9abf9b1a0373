/**
 * `netops worker` processes as an operator runs them, one per site machine
 * (bench/queue/worker-process.mjs): in the site's namespace when it has one, with a state folder of
 * its own (its pinned host keys: both sites' devices share addresses), a copy of the store's
 * placeholder key, and the lab's secrets in its own environment. Every worker a file started is
 * ended by its PID after the file's tests.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../../bench/queue/worker-process.mjs';
import type { Site } from './two-site.js';

export interface WorkerOptions {
  readonly name: string;
  readonly site: Site;
  readonly queue: string;
  /** The worker's own folder: its state dir and its copy of the placeholder key. */
  readonly dir: string;
  /** The coordinator's store key, copied into `dir` (an operator copies it to each worker). */
  readonly placeholderKey: string;
  readonly secrets: Readonly<Record<string, string>>;
  /** @default 4 */
  readonly concurrency?: number;
}

/** Starts one worker and resolves once it takes jobs; a dead worker's hosts are taken again after 2 s. */
export async function startWorker(o: WorkerOptions): Promise<WorkerProcess> {
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  const key = path.join(o.dir, 'placeholder.key');
  await copyFile(o.placeholderKey, key);
  return startWorkerProcess({
    name: o.name,
    queue: o.queue,
    site: o.site.name,
    namespace: o.site.namespace,
    concurrency: o.concurrency ?? 4,
    stalledMs: 2000,
    placeholderKey: key,
    tftpListen: o.site.tftpListen,
    env: { ...o.secrets, NETOPS_STATE_DIR: path.join(o.dir, 'state') },
  });
}

/** Starts workers for this file's tests and stops every one still running after them. */
export function useWorkers(): { start(o: WorkerOptions): Promise<WorkerProcess> } {
  const started: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((w) => w.stop()));
  });
  return {
    async start(o) {
      const worker = await startWorker(o);
      started.push(worker);
      return worker;
    },
  };
}
