/**
 * A real `redis-server` (Debian's, installed by scripts/install-deps.sh) for the queue tests and
 * benches: on 127.0.0.1 at a free port (redis cannot listen on port 0 and tell us which port it got),
 * also on a unix socket (how workers in a lab namespace reach it: see redis-relay.ts), with no
 * persistence (`--save '' --appendonly no`), in a folder of its own, ended by its PID.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { useStarted } from './fixture.js';

export interface RedisServer {
  readonly pid: number;
  readonly port: number;
  /** `redis://127.0.0.1:PORT`, what `netops worker --queue` and `netops run --queue` take. */
  readonly url: string;
  /** The unix socket the same server answers on (mode 0700, root only). */
  readonly socket: string;
  /** Runs one command with redis-cli over the unix socket and returns its raw output. */
  cli(...args: readonly string[]): Promise<string>;
  /** `INFO section` as name -> value, e.g. `info('memory').used_memory`. */
  info(section: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on now on 127.0.0.1 (the server may still lose it to a race: then we retry). */
async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function redisCli(socket: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'redis-cli',
      ['-s', socket, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** Resolves once the server logs that it accepts connections; rejects with its log if it ends first. */
function ready(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server not ready in ${timeoutMs} ms:\n${log}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server ended (${signal ?? `exit ${code}`}) before it was ready:\n${log}`));
    });
  });
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, 'SIGTERM');
    const killer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 10_000);
    await ended(child);
    clearTimeout(killer);
  }
  await rm(dir, { recursive: true, force: true });
}

async function startOnce(dir: string): Promise<RedisServer | undefined> {
  const port = await freeTcpPort();
  const socket = path.join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir].concat([
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--loglevel',
      'notice',
    ]),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await ready(child, 30_000);
  } catch (error) {
    await ended(child);
    if (/Address already in use/.test((error as Error).message)) return undefined;
    throw error;
  }
  child.stdout?.resume();
  const pid = child.pid ?? -1;
  return {
    pid,
    port,
    url: `redis://127.0.0.1:${port}`,
    socket,
    cli: (...args) => redisCli(socket, args),
    async info(section) {
      const text = await redisCli(socket, ['INFO', section]);
      return Object.fromEntries(
        text
          .split(/\r?\n/)
          .filter((line) => line.includes(':') && !line.startsWith('#'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
      );
    },
    stop: () => stopChild(child, dir),
  };
}

/** Starts a server in a new temp folder; retries when another process took the port first. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-redis-'));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = await startOnce(dir);
      if (server) return server;
    }
    throw new Error('redis-server: five free ports were taken before it could listen on them');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A redis-server for the file's tests, stopped (by PID) and its folder removed after them. */
export function useRedisServer(): RedisServer {
  return useStarted(startRedisServer, { timeoutMs: 60_000 });
}
