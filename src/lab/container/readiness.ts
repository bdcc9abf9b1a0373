/**
 * Waiting for a container lab to answer: a simulated device or the terminal server is ready when it
 * printed `ready N` (in its podman log), an frr device when its sockets listen inside the container's
 * network namespace (`nsenter -t PID -n ss`). A container that exits meanwhile fails the wait at once
 * with the end of its log.
 */
import { readFile } from 'node:fs/promises';
import { NetopsError } from '../../core/errors.js';
import { run } from '../netns/command.js';
import { logTail } from '../netns/readiness.js';
import { inspectContainers } from './run-container.js';

export interface ContainerReadyCheck {
  readonly container: string;
  readonly log: string;
  /** `ready`: printed `ready N`; otherwise the sockets (`tcp:22`, `udp:161`) that must listen. */
  readonly ready: 'printed' | readonly string[];
}

async function listensIn(pid: number, sockets: readonly string[]): Promise<boolean> {
  const { stdout } = await run('nsenter', ['-t', String(pid), '-n', 'ss', '-H', '-l', '-n', '-t', '-u'], {
    allowFailure: true,
  });
  const found = new Set<string>();
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = fields[4];
    if (fields[0] && local) found.add(`${fields[0]}:${local.slice(local.lastIndexOf(':') + 1)}`);
  }
  return sockets.every((s) => found.has(s));
}

async function isReady(check: ContainerReadyCheck, pid: number): Promise<boolean> {
  if (check.ready === 'printed')
    return / ready \d+$/m.test(await readFile(check.log, 'utf8').catch(() => ''));
  return listensIn(pid, check.ready);
}

/** Polls every check (backing off to 250 ms) until all are ready, one exits, or time runs out. */
export async function waitContainersReady(
  checks: readonly ContainerReadyCheck[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...checks];
  for (let pause = 50; pending.length > 0; pause = Math.min(pause * 2, 250)) {
    const states = await inspectContainers(pending.map((c) => c.container));
    const next: ContainerReadyCheck[] = [];
    for (const check of pending) {
      const state = states.get(check.container);
      if (!state?.running) {
        throw new NetopsError(
          'LAB_FAILED',
          `container ${check.container} is ${state?.status ?? 'gone'}:\n${await logTail(check.log)}`,
          { hint: `Read ${check.log}; \`netops lab down\` removes what was started.` },
        );
      }
      if (!(await isReady(check, state.pid))) next.push(check);
    }
    pending = next;
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new NetopsError(
        'LAB_FAILED',
        `not ready after ${timeoutMs} ms: ${pending.map((c) => c.container).join(', ')}`,
        {
          hint: 'Read the logs in the lab folder (devices/NAME/*.log); `netops lab down` cleans up.',
          transient: true,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
