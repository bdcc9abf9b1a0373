/**
 * `netops lab up|status|down`: the lab runs in one background process (lab-serve.js), started
 * detached with a raised open-file limit; `up` returns once it reports that every device listens,
 * `down` stops it by the PID recorded in the lab folder.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NetopsError } from '../core/errors.js';
import { labFiles, processAlive, readLabState, residentKiB, type LabState } from './lab-files.js';
import type { ServeOptions } from './lab-serve.js';

/** Descriptors per device: SSH, telnet and console listeners and SNMP sockets on two addresses, plus sessions. */
const fdsPerDevice = 12;

export interface LabUpOptions extends ServeOptions {
  /** The compiled lab-serve.js; the default is the one next to this file. */
  readonly entry?: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

export async function labUp(options: LabUpOptions): Promise<LabState> {
  const files = labFiles(options.dir);
  const running = await readLabState(options.dir);
  if (running && processAlive(running.pid)) {
    throw new NetopsError('LAB_FAILED', `a lab is already running in ${options.dir} (pid ${running.pid})`, {
      hint: `Stop it first: netops lab down --dir ${options.dir}`,
    });
  }
  await mkdir(options.dir, { recursive: true });
  const entry = options.entry ?? fileURLToPath(new URL('./lab-serve.js', import.meta.url));
  const log = await open(files.log, 'a');
  const devices = options.spec.devices ?? 2;
  const nofile = Math.max(4096, devices * fdsPerDevice + 1024);
  const args = [
    process.execPath,
    entry,
    JSON.stringify({ dir: options.dir, spec: options.spec, inventoryOut: options.inventoryOut }),
  ];
  // Raise the child's open-file limit to what the devices need, or to the hard limit when an
  // unprivileged user may not go that high; exec keeps the PID and the IPC descriptor.
  const raise = 'ulimit -n "$0" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
  const child = spawn('/bin/sh', ['-c', raise, String(nofile), ...args], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd, 'ipc'],
  });
  await log.close();
  const result = await new Promise<{ ready: boolean; error?: string }>((resolve) => {
    const timer = setTimeout(
      () => resolve({ ready: false, error: 'no answer in time' }),
      options.timeoutMs ?? 120_000,
    );
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as { ready: boolean; error?: string });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ready: false, error: `exited with code ${code}` });
    });
  });
  if (!result.ready) {
    if (child.pid !== undefined && processAlive(child.pid)) process.kill(child.pid, 'SIGTERM');
    throw new NetopsError('LAB_FAILED', `the lab process did not start: ${result.error ?? 'unknown error'}`, {
      hint: `See ${files.log}; with more devices, raise the open-file limit (ulimit -Hn).`,
    });
  }
  child.disconnect();
  child.unref();
  const state = await readLabState(options.dir);
  if (!state)
    throw new NetopsError('LAB_FAILED', `the lab started but wrote no ${files.state}`, {
      hint: `See ${files.log}.`,
    });
  return state;
}

export interface LabStatus {
  readonly state: LabState | undefined;
  readonly alive: boolean;
  readonly rssKiB: number | undefined;
}

export async function labStatus(dir: string): Promise<LabStatus> {
  const state = await readLabState(dir);
  const alive = state !== undefined && processAlive(state.pid);
  return { state, alive, rssKiB: alive && state ? await residentKiB(state.pid) : undefined };
}

/** Stops the lab process by its recorded PID and waits for it to be gone. */
export async function labDown(dir: string, timeoutMs = 15_000): Promise<boolean> {
  const state = await readLabState(dir);
  if (!state || !processAlive(state.pid)) {
    await rm(labFiles(dir).state, { force: true });
    return false;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (processAlive(state.pid) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  if (processAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  await rm(labFiles(dir).state, { force: true });
  return true;
}
