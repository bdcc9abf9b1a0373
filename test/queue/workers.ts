/**
 * `netops worker` processes as an operator runs them, one per site machine: the built CLI, in the
 * site's namespace when it has one, with a state folder of its own (its pinned host keys: both
 * sites' devices share addresses), a copy of the store's placeholder key, and the lab's secrets in
 * its own environment. A worker is ready when it says so on stderr; every worker a file started is
 * ended by its PID after the file's tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll } from 'vitest';
import { netopsBin } from '../helpers/netops-cli.js';
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
  /** How long a dead worker's hosts stay locked before they are taken again. @default 2000 */
  readonly stalledMs?: number;
}

export interface RunningWorker {
  readonly name: string;
  readonly pid: number;
  /** What it printed on stderr so far. */
  readonly log: () => string;
  /** Resolves with its exit once it has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (finish the hosts in hand, then exit), SIGKILL after 30 s. */
  stop(): Promise<void>;
}

function exitOf(child: ChildProcess): RunningWorker['exited'] {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function workerArgv(o: WorkerOptions): Promise<string[]> {
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  const key = path.join(o.dir, 'placeholder.key');
  await copyFile(o.placeholderKey, key);
  const args = [netopsBin, 'worker', '--queue', o.queue, '--name', o.name, '--site', o.site.name]
    .concat(['--concurrency', String(o.concurrency ?? 4), '--stalled-ms', String(o.stalledMs ?? 2000)])
    .concat(['--placeholder-key', key, ...o.site.tftpListen.flatMap((a) => ['--tftp-listen', a])]);
  const node = [process.execPath, ...args];
  return o.site.namespace ? ['ip', 'netns', 'exec', o.site.namespace, ...node] : node;
}

/** Starts one worker and resolves once it takes jobs (its `ready` line). */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const [command, ...args] = await workerArgv(o);
  const child = spawn(command!, args, {
    env: { ...process.env, ...o.secrets, NETOPS_STATE_DIR: path.join(o.dir, 'state'), NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = exitOf(child);
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(`worker ${o.name} ready`)) resolve();
    });
    void exited.then((e) =>
      reject(
        new Error(`worker ${o.name} ended (${e.signal ?? `exit ${e.code}`}) before it was ready:\n${log}`),
      ),
    );
  });
  const pid = child.pid ?? -1;
  return {
    name: o.name,
    pid,
    log: () => log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => process.kill(pid, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Starts workers for this file's tests and stops every one still running after them. */
export function useWorkers(): { start(o: WorkerOptions): Promise<RunningWorker> } {
  const started: RunningWorker[] = [];
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
