/**
 * One TLS connection to the queue's Redis that sends a PING and waits for any answer, before
 * ioredis connects. A server that refuses the client's certificate says so after the TLS 1.3
 * handshake: the client meets the alert, then often the reset, as two `error` events on one socket.
 * ioredis listens for one error per socket, so the second ended the process with Node's stack
 * trace instead of QUEUE_UNREACHABLE and its hint. This socket keeps its listener for its life.
 */
import { connect, type ConnectionOptions } from 'node:tls';

export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: ConnectionOptions;
  readonly timeoutMs: number;
}

/** Resolves once the server answers over TLS (any answer: NOAUTH too); rejects with the socket's error. */
export function checkTls(target: TlsTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, ...target.tls });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.on('error', settle);
    socket.setTimeout(target.timeoutMs, () => settle(withCode('connect ETIMEDOUT', 'ETIMEDOUT')));
    socket.once('secureConnect', () => socket.write('PING\r\n'));
    socket.once('data', () => settle());
    socket.once('close', () => settle(withCode('the server closed the connection', 'ECONNRESET')));
  });
}

function withCode(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
