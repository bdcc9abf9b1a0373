// A real `redis-server` (Debian's, installed by scripts/install-deps.sh) for the queue tests and bench:
// on 127.0.0.1 at a free port (redis cannot listen on port 0 and tell us which port it got), also on
// a unix socket (how workers in a lab namespace reach it: see redis-relay.mjs), with no persistence
// (`--save '' --appendonly no`), in a folder of its own, ended by its PID. With `tls`, the TCP port
// speaks TLS only (`--port 0 --tls-port N`; the unix socket stays plain for redis-cli). With `ipv6`,
// the port is also bound on ::1.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A TCP port nobody listens on now on 127.0.0.1 (the server may still lose it to a race: then we retry). */
async function freeTcpPort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function redisCli(socket, args) {
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
function ready(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server not ready in ${timeoutMs} ms:\n${log}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk) => {
      log += chunk.toString();
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server ended (${signal ?? `exit ${code}`}) before it was ready:\n${log}`));
    });
  });
}

export function ended(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child, dir) {
  if (child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, 'SIGTERM');
    const killer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 10_000);
    await ended(child);
    clearTimeout(killer);
  }
  await rm(dir, { recursive: true, force: true });
}

const parseInfo = (text) =>
  Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((line) => line.includes(':') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );

/** The TLS port's arguments: the server's certificate, and the CA its clients' certificates need. */
function tlsArgs(port, tls) {
  return [
    ...['--port', '0', '--tls-port', String(port)],
    ...['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.clientCa],
    ...['--tls-auth-clients', tls.requireClientCert ? 'yes' : 'no'],
  ];
}

async function startOnce(dir, tls, ipv6) {
  const port = await freeTcpPort();
  const socket = path.join(dir, 'redis.sock');
  const args = [
    ...(tls ? tlsArgs(port, tls) : ['--port', String(port)]),
    '--bind',
    '127.0.0.1',
    ...(ipv6 ? ['::1'] : []),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const child = spawn('redis-server', [...args, '--unixsocket', socket, '--unixsocketperm', '700'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await ready(child, 30_000);
  } catch (error) {
    await ended(child);
    if (/Address already in use/.test(error.message)) return undefined;
    throw error;
  }
  child.stdout.resume();
  return {
    pid: child.pid,
    port,
    url: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    socket,
    cli: (...cliArgs) => redisCli(socket, cliArgs),
    info: async (section) => parseInfo(await redisCli(socket, ['INFO', section])),
    stop: () => stopChild(child, dir),
  };
}

/** Starts a server in a new temp folder; retries when another process took the port first. */
export async function startRedisServer(options = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-redis-'));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = await startOnce(dir, options.tls, options.ipv6);
      if (server) return server;
    }
    throw new Error('redis-server: five free ports were taken before it could listen on them');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
