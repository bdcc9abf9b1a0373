/**
 * Waiting for a lab to answer: a daemon is ready when its sockets listen inside its namespace
 * (`ss -N NS`), a simulator process when it printed `ready`. A process that dies meanwhile fails the
 * wait at once with the end of its log, instead of a time-out much later.
 */
import { readFile } from 'node:fs/promises';
import { NetopsError } from '../../core/errors.js';
import { run } from './command.js';
import { isAlive } from './processes.js';
import type { RecordedProcess } from './state.js';

/** `tcp:22`, `udp:161`, ... for every socket listening in `namespace`. */
export async function listening(namespace: string): Promise<Set<string>> {
  const { stdout } = await run('ss', ['-N', namespace, '-H', '-l', '-n', '-t', '-u'], { allowFailure: true });
  const found = new Set<string>();
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = fields[4];
    if (fields[0] && local) found.add(`${fields[0]}:${local.slice(local.lastIndexOf(':') + 1)}`);
  }
  return found;
}

export async function logTail(file: string, lines = 8): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface ReadyCheck {
  readonly what: string;
  readonly processes: readonly RecordedProcess[];
  readonly ready: () => Promise<boolean>;
}

export const listensOn = (namespace: string, sockets: readonly string[]) => async () => {
  const found = await listening(namespace);
  return sockets.every((s) => found.has(s));
};

export const printedReady = (log: string) => async () =>
  /^ready \d+$/m.test(await readFile(log, 'utf8').catch(() => ''));

/** Polls every check (backing off to 200 ms) until all are ready, one dies, or time runs out. */
export async function waitReady(checks: readonly ReadyCheck[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...checks];
  for (let pause = 20; pending.length > 0; pause = Math.min(pause * 2, 200)) {
    const states = await Promise.all(pending.map(async (check) => ({ check, ready: await check.ready() })));
    pending = states.filter((s) => !s.ready).map((s) => s.check);
    for (const check of pending) {
      for (const p of check.processes) {
        if (!(await isAlive(p))) {
          throw new NetopsError(
            'LAB_FAILED',
            `${p.name} exited while ${check.what} was starting:\n${await logTail(p.log)}`,
            {
              hint: `Read ${p.log}; \`netops lab down\` cleans up what was started.`,
            },
          );
        }
      }
    }
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new NetopsError(
        'LAB_FAILED',
        `not ready after ${timeoutMs} ms: ${pending.map((c) => c.what).join(', ')}`,
        {
          hint: 'Read the logs in the lab folder (devices/NAME/*.log); `netops lab down` cleans up.',
          transient: true,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
