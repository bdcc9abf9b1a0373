/**
 * Lab processes: started inside a namespace (`ip netns exec` execs the program, so the PID we get
 * is the daemon's own), detached from the lab command so they outlive it, with output in a log file;
 * stopped by recorded PID and start time, then whatever is still inside the lab's namespaces.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { NetopsError } from '../../core/errors.js';
import { run } from './command.js';

export interface RecordedProcess {
  /** `DEVICE/ROLE`, e.g. `f1/bgpd`. */
  readonly name: string;
  readonly namespace: string;
  readonly pid: number;
  /** /proc/PID/stat start time: a recycled PID never matches it, so nothing else gets killed. */
  readonly startTime: string;
  readonly log: string;
}

/** What identifies a running process: enough to check on it and stop it. */
export type ProcessId = Pick<RecordedProcess, 'pid' | 'startTime'>;

export interface StartOptions {
  readonly name: string;
  readonly namespace: string;
  readonly argv: readonly string[];
  readonly log: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks), or undefined when the process is gone. */
export async function startTimeOf(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** A zombie (exited, not yet reaped by its parent) counts as gone. */
async function alive(process: ProcessId): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] === process.startTime && fields[0] !== 'Z';
  } catch {
    return false;
  }
}

export { alive as isAlive };

export async function startInNamespace(options: StartOptions): Promise<RecordedProcess> {
  const [program, ...args] = options.argv;
  if (program === undefined) throw new Error('startInNamespace: empty argv');
  const fd = openSync(options.log, 'a', 0o600);
  try {
    const child = spawn('ip', ['netns', 'exec', options.namespace, program, ...args], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
    });
    const pid = child.pid;
    child.unref();
    const startTime = pid === undefined ? undefined : await startTimeOf(pid);
    if (pid === undefined || startTime === undefined) {
      throw new NetopsError('LAB_FAILED', `${options.name} did not start: ${options.argv.join(' ')}`, {
        hint: `Read ${options.log}; run \`netops lab doctor\` to check the tools the lab needs.`,
      });
    }
    return { name: options.name, namespace: options.namespace, pid, startTime, log: options.log };
  } finally {
    closeSync(fd);
  }
}

async function waitGone<P extends ProcessId>(processes: readonly P[], ms: number): Promise<P[]> {
  const deadline = Date.now() + ms;
  let left = [...processes];
  for (let pause = 5; left.length > 0 && Date.now() < deadline; pause = Math.min(pause * 2, 100)) {
    left = (await Promise.all(left.map(async (p) => ((await alive(p)) ? p : undefined)))).filter(
      (p) => p !== undefined,
    );
    if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return left;
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

/** SIGTERM, a grace period, then SIGKILL; only processes whose PID and start time still match. */
export async function stopProcesses(processes: readonly ProcessId[], graceMs = 3000): Promise<void> {
  const running = (await Promise.all(processes.map(async (p) => ((await alive(p)) ? p : undefined)))).filter(
    (p) => p !== undefined,
  );
  running.forEach((p) => signal(p.pid, 'SIGTERM'));
  const stubborn = await waitGone(running, graceMs);
  stubborn.forEach((p) => signal(p.pid, 'SIGKILL'));
  await waitGone(stubborn, 2000);
}

/**
 * Whatever still runs inside one of the lab's own namespaces (session children of sshd, telnetd and
 * login, vtysh, a process started before its PID was recorded): found by namespace name.
 */
export async function namespaceProcesses(namespace: string): Promise<RecordedProcess[]> {
  const { stdout } = await run('ip', ['netns', 'pids', namespace], { allowFailure: true });
  const pids = stdout.split(/\s+/).filter(Boolean).map(Number);
  const found = await Promise.all(
    pids.map(async (pid) => {
      const startTime = await startTimeOf(pid);
      return startTime === undefined ? undefined : { name: `pid ${pid}`, namespace, pid, startTime, log: '' };
    }),
  );
  return found.filter((p) => p !== undefined);
}
