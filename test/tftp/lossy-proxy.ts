/**
 * An in-process UDP proxy that loses, duplicates and reorders datagrams, driven by a seeded PRNG so
 * a failing run can be replayed. One client at a time: the client talks to the proxy's port, the
 * proxy talks to the server's listening port and then to the transfer's TID it answers from.
 */
import { createSocket, type Socket } from 'node:dgram';
import { seeded } from '../../src/lab/device/random.js';

export interface Faults {
  readonly drop: number;
  readonly duplicate: number;
  readonly delay: number;
  readonly seed: number;
  /** A loss chosen by the test: datagrams it returns true for are dropped, before any draw. */
  readonly lose?: (datagram: Buffer, toServer: boolean) => boolean;
}

/** The lab's seeded generator (mulberry32), as a bare function: a failing run replays from its seed. */
export function prng(seed: number): () => number {
  return seeded(seed).next;
}

export interface LossyProxy {
  readonly port: number;
  readonly stats: { forwarded: number; dropped: number; duplicated: number; delayed: number };
  close(): Promise<void>;
}

export async function startLossyProxy(serverPort: number, faults: Faults): Promise<LossyProxy> {
  const random = prng(faults.seed);
  const stats = { forwarded: 0, dropped: 0, duplicated: 0, delayed: 0 };
  const bind = async (socket: Socket) => new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  await bind(front);
  await bind(back);
  let client: { port: number; request: number } | undefined;
  let serverTid: number | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const pass = (socket: Socket, message: Buffer, port: number) => {
    if (faults.lose?.(message, socket === back)) {
      stats.dropped++;
      return;
    }
    const r = random();
    if (r < faults.drop) {
      stats.dropped++;
      return;
    }
    stats.forwarded++;
    if (r < faults.drop + faults.duplicate) {
      stats.duplicated++;
      socket.send(message, port, '127.0.0.1');
    } else if (r < faults.drop + faults.duplicate + faults.delay) {
      // Held back a few ms so later datagrams overtake it.
      stats.delayed++;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          socket.send(message, port, '127.0.0.1');
        },
        2 + Math.floor(random() * 5),
      );
      timers.add(timer);
      return;
    }
    socket.send(message, port, '127.0.0.1');
  };

  front.on('message', (message, from) => {
    if (!client || client.port !== from.port) {
      // A new client session: its first packet (RRQ or WRQ) goes to the listening port.
      client = { port: from.port, request: message.readUInt16BE(0) };
      serverTid = undefined;
    }
    pass(back, message, serverTid ?? serverPort);
  });
  back.on('message', (message, from) => {
    if (client && serverTid === undefined && answersRequest(client.request, message)) serverTid = from.port;
    if (client && from.port === serverTid) pass(front, message, client.port);
  });

  return {
    port: front.address().port,
    stats,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([front, back].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/**
 * Whether a datagram can be the server's first answer to a TFTP request: OACK or ERROR, ACK 0 to a WRQ,
 * DATA 1 to an RRQ. Anything else is a stray: the kernel may hand this proxy a port a closed one had,
 * and a transfer of an earlier test still resending its last DATA to it would otherwise be taken
 * for the new transfer's TID.
 */
function answersRequest(request: number, message: Buffer): boolean {
  // Not a TFTP request (the proxy carries SNMP too): the first answer is taken as it comes.
  if (request !== 1 && request !== 2) return true;
  if (message.length < 4) return false;
  const op = message.readUInt16BE(0);
  const block = message.readUInt16BE(2);
  if (op === 6 || op === 5) return true;
  return request === 2 ? op === 4 && block === 0 : op === 3 && block === 1;
}
