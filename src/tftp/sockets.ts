/**
 * The server's UDP sockets: listeners (dual-stack for `::`, room for request bursts) and the
 * per-transfer sockets bound to the listener's address.
 */
import { createSocket, type Socket, type SocketOptions } from 'node:dgram';
import { NetopsError } from '../core/errors.js';
import { formatHostPort, parseAddress } from '../net/address.js';

/** Room for a burst of requests (a thousand devices told to upload at once); the kernel caps it at rmem_max. */
const LISTENER_RECEIVE_BUFFER = 4 * 2 ** 20;

/**
 * Peers are IP literals (a request's source, a client's resolved server), so each datagram is sent
 * at once: the default lookup would run dns.lookup on the literal and send a tick later, per packet.
 */
export const literalLookup: NonNullable<SocketOptions['lookup']> = (address, options, callback) => {
  const family = typeof options === 'number' ? options : (options.family ?? 0);
  callback(null, address, family === 6 || family === 'IPv6' ? 6 : 4);
};

const isWildcard = (address: string) => parseAddress(address)?.bytes.every((b) => b === 0) ?? false;

export async function bindSocket(
  type: 'udp4' | 'udp6',
  address: string,
  port: number,
  recvBufferSize?: number,
): Promise<Socket> {
  // `::` is dual-stack (IPv4 peers appear as ::ffff:a.b.c.d); any other IPv6 address is IPv6 only.
  const socket = createSocket({
    type,
    lookup: literalLookup,
    ...(type === 'udp6' ? { ipv6Only: !isWildcard(address) } : {}),
    ...(recvBufferSize ? { recvBufferSize } : {}),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address, port }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** A listening socket, or TFTP_BIND_FAILED saying what to change. */
export async function bindListener(type: 'udp4' | 'udp6', address: string, port: number): Promise<Socket> {
  try {
    return await bindSocket(type, address, port, LISTENER_RECEIVE_BUFFER);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const hints: Record<string, string> = {
      EACCES:
        'Ports below 1024 need root or CAP_NET_BIND_SERVICE: run with it, or listen on a port above 1024.',
      EADDRINUSE: 'Another TFTP server uses this port: stop it (e.g. tftpd-hpa) or choose another port.',
    };
    throw new NetopsError(
      'TFTP_BIND_FAILED',
      `cannot listen for TFTP on ${formatHostPort(address, port)} (${code})`,
      {
        hint:
          hints[code] ??
          'Listen on an address this host has (see `ip address`); a link-local address needs its zone (fe80::1%eth0).',
        cause: error,
      },
    );
  }
}
