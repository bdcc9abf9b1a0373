/**
 * TCP listeners on 127.0.0.1 and ::1 with one port number for both, as a device answers on all of its
 * addresses. Port 0 picks a free port on 127.0.0.1 and retries until ::1 has it free too.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { NetopsError } from '../../core/errors.js';
import type { Device } from '../device/device.js';

export interface DualListener {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host, port, ipv6Only: host === '::1', backlog: 64 }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export async function listenDual(
  hosts: readonly string[],
  port: number,
  onSocket: (socket: Socket) => void,
): Promise<DualListener> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const servers: Server[] = [];
    let chosen = port;
    try {
      for (const host of hosts) {
        const server = createServer({ noDelay: true }, onSocket);
        servers.push(server);
        chosen = await listen(server, host, chosen);
      }
      return { port: chosen, close: async () => void (await Promise.all(servers.map(closeServer))) };
    } catch (error) {
      await Promise.all(servers.filter((s) => s.listening).map(closeServer));
      if (port !== 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        throw new NetopsError(
          'LAB_FAILED',
          `cannot listen on port ${port} of ${hosts.join(', ')}: ${(error as Error).message}`,
          {
            hint: 'Choose another base port, or stop what holds this one (`ss -ltnp`).',
            cause: error,
          },
        );
      }
    }
  }
  throw new NetopsError('LAB_FAILED', `no port free on all of ${hosts.join(', ')} after 20 attempts`, {
    hint: 'Free some ports or lower the number of devices.',
  });
}

/**
 * A device's remote-access listener (SSH or telnet): refuses connections while the device boots or
 * has no local users, and drops every open session when it reloads.
 */
export async function listenForDevice(
  device: Device,
  options: { readonly hosts: readonly string[]; readonly port: number },
  onSocket: (socket: Socket) => void,
): Promise<DualListener> {
  const open = new Set<Socket>();
  const dropAll = () => open.forEach((socket) => socket.destroy());
  device.on('reload', dropAll);
  const listener = await listenDual(options.hosts, options.port, (socket) => {
    if (!device.remoteAccess) return void socket.destroy();
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    onSocket(socket);
  });
  return {
    port: listener.port,
    close: async () => {
      device.off('reload', dropAll);
      dropAll();
      await listener.close();
    },
  };
}
