/**
 * Starting the impairment relay inside a device's network namespace (`nsenter --net=PATH`, which
 * execs it: the PID is the relay's own), detached and logging to the lab folder, and waiting until it
 * has attached to its TUN devices (a TUN device without a reader drops what is routed to it).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { isAlive, startTimeOf, stopProcesses } from '../netns/processes.js';
import type { RecordedProcess } from '../netns/processes.js';
import type { DirectionImpairment } from './impairment.js';
import { relayProgram } from './relay-program.js';

export const python = '/usr/bin/python3';

export interface RelayLink extends Omit<DirectionImpairment, 'lossPercent'> {
  /** The TUN device. */
  readonly device: string;
}

export interface RelayOptions {
  /** The namespace, as a path (/run/netns/NAME, /proc/PID/ns/net). */
  readonly netns: string;
  /** Program, config and log go here. */
  readonly dir: string;
  /** Recorded process name, e.g. `r1/impair-relay`. */
  readonly name: string;
  readonly links: readonly RelayLink[];
  /** The relay exits when this process exits. */
  readonly exitWith?: number;
  /** @default 10000 */
  readonly readyTimeoutMs?: number;
}

/** Packets held at most (beyond: dropped), as netem's `limit`. */
const queueLimit = 10_000;

export async function startRelay(options: RelayOptions): Promise<RecordedProcess> {
  const program = path.join(options.dir, 'impair-relay.py');
  const config = path.join(options.dir, 'impair-relay.json');
  const log = path.join(options.dir, 'impair-relay.log');
  await writeFile(program, relayProgram, { mode: 0o644 });
  const links = options.links.map(({ device, delayMs, jitterMs, duplicatePercent, reorderPercent }) => ({
    device,
    delayMs,
    jitterMs,
    duplicatePercent,
    reorderPercent,
  }));
  await writeFile(
    config,
    `${JSON.stringify({ links, exitWith: options.exitWith ?? null, limit: queueLimit })}\n`,
  );
  await writeFile(log, '', { mode: 0o600 });
  const fd = openSync(log, 'a');
  let pid: number | undefined;
  try {
    const child = spawn('nsenter', [`--net=${options.netns}`, '--', python, '-I', '-u', program, config], {
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    child.on('error', () => undefined);
    pid = child.pid;
    child.unref();
  } finally {
    closeSync(fd);
  }
  const startTime = pid === undefined ? undefined : await startTimeOf(pid);
  const failed = (why: string) =>
    new NetopsError('LAB_FAILED', `the impairment relay in ${options.netns} ${why}`, {
      hint: `Read ${log}; the relay needs ${python}, nsenter and /dev/net/tun (\`netops lab doctor\`).`,
    });
  if (pid === undefined || startTime === undefined) throw failed('did not start');
  const relay: RecordedProcess = { name: options.name, namespace: options.netns, pid, startTime, log };
  try {
    await waitReady(relay, options.readyTimeoutMs ?? 10_000, failed);
  } catch (error) {
    await stopProcesses([relay], 1000);
    throw error;
  }
  return relay;
}

/** Until the relay logs that it attached; its exit or the time limit is an error. */
async function waitReady(
  relay: RecordedProcess,
  timeoutMs: number,
  failed: (why: string) => NetopsError,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    const text = await readFile(relay.log, 'utf8');
    if (text.includes('relay ready')) return;
    if (!(await isAlive(relay))) throw failed(`exited: ${text.trim().split('\n').slice(-3).join(' | ')}`);
    if (Date.now() > deadline) throw failed(`did not attach to its TUN devices within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
