/**
 * Real Debian TFTP peers for interop tests: tftpd-hpa and atftpd started in the foreground on
 * loopback at a free port, and the clients (tftp-hpa, atftp, busybox, curl) run as child processes.
 * Every process is ended by its PID.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../helpers/child-process.js';

export type Loopback = '127.0.0.1' | '::1';

export async function tempDir(prefix = 'netops-tftp-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // The daemons drop privileges (tftp / nobody) and must be able to write here.
  await chmod(dir, 0o777);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A UDP port that was free a moment ago (daemons cannot be told to pick one and report it). */
export async function freeUdpPort(address: Loopback): Promise<number> {
  const socket = createSocket(address === '::1' ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

export interface Daemon {
  readonly port: number;
  stop(): Promise<void>;
}

async function startDaemon(
  command: string,
  args: string[],
  port: number,
  address: Loopback,
): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitListening(child, port, address, () => stderr);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { port, stop: () => stopChild(child) };
}

/** Waits until a UDP port answers a probe RRQ (any reply means the daemon is up). */
async function waitListening(child: ChildProcess, port: number, address: Loopback, stderr: () => string) {
  const probe = createSocket(address === '::1' ? 'udp6' : 'udp4');
  try {
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`daemon exited: ${stderr()}`);
      const answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 50);
        probe.once('message', () => {
          clearTimeout(timer);
          resolve(true);
        });
        probe.send(Buffer.from('\x00\x01.probe-missing\x00octet\x00', 'latin1'), port, address);
      });
      if (answered) return;
    }
    throw new Error(`daemon did not answer on ${address} port ${port}: ${stderr()}`);
  } finally {
    probe.close();
  }
}

/** tftpd-hpa in the foreground: `-c` create, `-s` chroot to `dir`; `extra` e.g. `-T 200000` (time-out in µs). */
export async function startTftpdHpa(
  dir: string,
  address: Loopback,
  extra: readonly string[] = [],
): Promise<Daemon> {
  const port = await freeUdpPort(address);
  const listen = address === '::1' ? `[::1]:${port}` : `${address}:${port}`;
  return startDaemon(
    '/usr/sbin/in.tftpd',
    ['-L', '-a', listen, '-c', '-s', dir, address === '::1' ? '-6' : '-4', ...extra],
    port,
    address,
  );
}

export const ATFTPD = '/var/cache/netops/atftpd/usr/sbin/atftpd';

/** atftpd 0.8 listens on IPv4 only (`--bind-address ::1` still binds 0.0.0.0). */
export async function startAtftpd(dir: string, address: '127.0.0.1'): Promise<Daemon> {
  const port = await freeUdpPort(address);
  const args = [
    '--daemon',
    '--no-fork',
    '--port',
    String(port),
    '--bind-address',
    address,
    '--logfile',
    '/dev/null',
    dir,
  ];
  return startDaemon(ATFTPD, args, port, address);
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a client to completion (with a time limit, so a hung client fails the test, not the suite). */
export function run(command: string, args: string[], input?: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number | null) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Byte equality that stays fast on megabytes (deep equality walks Buffers element by element). */
export function sameBytes(actual: Buffer, expected: Buffer): string {
  if (actual.equals(expected)) return 'identical';
  let at = 0;
  while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) at++;
  return `differ: ${actual.length} bytes vs ${expected.length} expected, first difference at offset ${at}`;
}
