/** A TCP listener on loopback that counts connections: proves a command contacted (or did not contact) a device. */
import net from 'node:net';

export interface CountingListener {
  readonly port: number;
  readonly connections: () => number;
  /** Connections not closed yet (the peer is still using them). */
  readonly open: () => number;
  close(): Promise<void>;
}

/** Listens on `address` (ephemeral port unless given); `behaviour` decides what each connection gets. */
export async function countingListener(
  address: string,
  behaviour: 'close' | 'hang' = 'close',
  port = 0,
): Promise<CountingListener> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (behaviour === 'close') socket.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    open: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Two listeners on the same port, one per family, as a dual-stack device would have. */
export async function dualStackListener(): Promise<CountingListener> {
  const v4 = await countingListener('127.0.0.1');
  let v6: CountingListener | undefined;
  try {
    v6 = await countingListener('::1', 'close', v4.port);
  } catch {
    await v4.close();
    return dualStackListener(); // the port was taken on ::1; pick another
  }
  return {
    port: v4.port,
    connections: () => v4.connections() + v6.connections(),
    open: () => v4.open() + v6.open(),
    close: async () => {
      await v4.close();
      await v6.close();
    },
  };
}

export interface ClosedPort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A port on `address` (loopback) that refuses every connection for as long as it is held. A port that was merely
 * free a moment ago is not enough: minutes later, on a loaded machine, another test's listener may
 * have it. The port is held by the local end of a connection of our own, which nothing else may bind
 * (it has no SO_REUSEADDR) and which does not listen, so a connection to it is refused at once.
 */
export async function closedTcpPort(address = '127.0.0.1'): Promise<ClosedPort> {
  const peer = await countingListener(address, 'hang');
  const holder = net.connect({ port: peer.port, host: address });
  await new Promise<void>((resolve, reject) => {
    holder.once('connect', resolve);
    holder.once('error', reject);
  });
  holder.on('error', () => undefined);
  return {
    port: holder.localPort as number,
    close: async () => {
      holder.destroy();
      await peer.close();
    },
  };
}
