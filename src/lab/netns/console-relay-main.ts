/**
 * The terminal server's namespace: one TCP port per console line (2000 + line, reverse telnet,
 * device-reference.md §5) on its own IPv4 and IPv6 address, each relayed byte for byte to the line,
 * a simulated device's console socket or an frr device's telnet. The line itself speaks telnet.
 * `node console-relay-main.js CONFIG.json` with `{ addresses: string[], lines: ConsoleRelayLine[] }`.
 */
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ConsoleRelayLine {
  readonly port: number;
  readonly target: { readonly path: string } | { readonly host: string; readonly port: number };
}

function relay(client: Socket, line: ConsoleRelayLine): void {
  const upstream =
    'path' in line.target ? connect(line.target.path) : connect(line.target.port, line.target.host);
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
}

function listen(host: string, line: ConsoleRelayLine): Promise<Server> {
  const server = createServer({ noDelay: true }, (client) => relay(client, line));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: line.port, ipv6Only: host.includes(':') }, () => resolve(server));
  });
}

async function main(file: string): Promise<void> {
  const { addresses, lines } = JSON.parse(await readFile(file, 'utf8')) as {
    addresses: string[];
    lines: ConsoleRelayLine[];
  };
  const servers = await Promise.all(lines.flatMap((line) => addresses.map((host) => listen(host, line))));
  // A terminal server without lines (a lab of scale devices only) stays up until stopped, as one
  // with lines does: no listening socket holds the event loop then, and Node would exit after
  // `ready`, racing the lab's readiness check, which takes an exited process for a failed start.
  const idle = servers.length === 0 ? setInterval(() => undefined, 2 ** 31 - 1) : undefined;
  const stop = () => {
    clearInterval(idle);
    servers.forEach((s) => s.close());
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`ready ${lines.length}\n`);
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`console-relay-main: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
