// How a worker inside a lab namespace reaches the redis-server on the host without the lab touching
// the root namespace: a lab namespace has no route out, but a unix socket is a file, reachable from
// any network namespace. A small Node relay in the namespace listens on its 127.0.0.1 at the server's
// own port and forwards each connection to the server's unix socket, so the same
// `redis://127.0.0.1:PORT` works on the host and in every site. Ended by its PID (`ip netns exec`
// execs node in place).
import { spawn } from 'node:child_process';
import { ended } from './redis-server.mjs';

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

/** Starts the relay in `namespace` for `redis`; resolves once it listens. */
export async function startRedisRelay(namespace, redis) {
  const argv = ['netns', 'exec', namespace, process.execPath, '--input-type=module', '-e', relayScript];
  const child = spawn('ip', [...argv, redis.socket, String(redis.port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('relay listening')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`redis relay in ${namespace} ended (exit ${code}):\n${output}`)),
    );
  });
  return {
    pid: child.pid,
    namespace,
    async close() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
      await ended(child);
    },
  };
}
