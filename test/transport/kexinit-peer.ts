/**
 * A bare TCP peer that reads what an SSH client sends in clear before any key is agreed: its version
 * line, then its first packet (KEXINIT), whose cookie (16 random bytes) and padding (4 or more random
 * bytes) it keeps. It then hangs up. For tests of where ssh2's random bytes come from.
 */
import net from 'node:net';

export interface ClearRandomBytes {
  /** The KEXINIT's cookie. */
  readonly cookie: Buffer;
  /** The packet's random padding. */
  readonly padding: Buffer;
}

export interface KexinitPeer {
  readonly port: number;
  /** The next client's cookie and padding, once its first packet has come in. */
  next(): Promise<ClearRandomBytes>;
  close(): Promise<void>;
}

/** The first binary packet after the version line, when all of it has come in. */
function firstPacket(received: Buffer): ClearRandomBytes | undefined {
  const lineEnd = received.indexOf('\r\n');
  if (lineEnd < 0 || received.length < lineEnd + 2 + 5) return undefined;
  const start = lineEnd + 2;
  const length = received.readUInt32BE(start);
  if (received.length < start + 4 + length) return undefined;
  const paddingLength = received[start + 4]!;
  const payload = start + 5;
  const end = start + 4 + length;
  return {
    cookie: received.subarray(payload + 1, payload + 17),
    padding: received.subarray(end - paddingLength, end),
  };
}

export async function kexinitPeer(): Promise<KexinitPeer> {
  const waiting: ((bytes: ClearRandomBytes) => void)[] = [];
  const arrived: ClearRandomBytes[] = [];
  const server = net.createServer((socket) => {
    let received = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.write('SSH-2.0-KexinitPeer\r\n');
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const packet = firstPacket(received);
      if (!packet) return;
      socket.removeAllListeners('data');
      socket.destroy();
      const taker = waiting.shift();
      if (taker) taker(packet);
      else arrived.push(packet);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    next: () => {
      const packet = arrived.shift();
      return packet ? Promise.resolve(packet) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
