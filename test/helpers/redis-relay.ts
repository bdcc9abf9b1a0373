/**
 * How a worker inside a lab namespace reaches the test's redis-server without the lab touching the
 * root namespace: a lab namespace has no route out, but a unix socket is a file, reachable from any
 * network namespace. A small Node relay in the namespace listens on its 127.0.0.1 at the server's own
 * port and forwards each connection to the server's unix socket, so the same `redis://127.0.0.1:PORT`
 * works on the host and in every site. Ended by its PID (`ip netns exec` execs node in place).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RedisServer } from './redis-server.js';

const relayScript = `
import net from 'node:net';
const [socket, port] = process.argv.slice(1);
const server = net.createServer((client) => {
  const upstream = net.connect(socket);
  const close = () => { client.destroy(); upstream.destroy(); };
  for (const end of [client, upstream]) { end.on('error', close); end.on('close', close); }
  client.pipe(upstream).pipe(client);
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('relay listening\\n'));
`;

export interface RedisRelay {
  readonly pid: number;
  readonly namespace: string;
  close(): Promise<void>;
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the relay in `namespace` for `redis`; resolves once it listens. */
export async function startRedisRelay(namespace: string, redis: RedisServer): Promise<RedisRelay> {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      namespace,
      process.execPath,
      '--input-type=module',
      '-e',
      relayScript,
      redis.socket,
    ].concat([String(redis.port)]),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('relay listening')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`redis relay in ${namespace} ended (exit ${code}):\n${output}`)),
    );
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    namespace,
    async close() {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
      await ended(child);
    },
  };
}
