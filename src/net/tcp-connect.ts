/**
 * Opens a TCP connection with a time limit and an AbortSignal, and turns socket errors into
 * NetopsErrors whose codes say what a network engineer would check next.
 */
import net from 'node:net';
import { NetopsError } from '../core/errors.js';
import { formatHostPort } from './address.js';

export interface TcpConnectOptions {
  readonly address: string;
  readonly port: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly host?: string;
}

export function tcpConnect(options: TcpConnectOptions): Promise<net.Socket> {
  const { address, port, timeoutMs = 10_000, signal, host } = options;
  const target = formatHostPort(address, port);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const finish = (error?: NetopsError) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.removeAllListeners('connect');
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(socket);
    };
    const onAbort = () =>
      finish(
        new NetopsError('ABORTED', `connection to ${target} was abandoned`, {
          hint: 'The step was stopped.',
        }),
      );
    const timer = setTimeout(
      () =>
        finish(
          new NetopsError('CONNECT_TIMEOUT', `no answer from ${target} within ${timeoutMs / 1000}s`, {
            hint: 'Check that the device is up and that no firewall or ACL drops traffic to this port.',
            ...(host === undefined ? {} : { host }),
            transient: true,
          }),
        ),
      timeoutMs,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish());
    socket.once('error', (error: NodeJS.ErrnoException) => finish(socketError(error, target, host)));
  });
}

export function socketError(error: NodeJS.ErrnoException, target: string, host?: string): NetopsError {
  const withHost = host === undefined ? {} : { host };
  switch (error.code) {
    case 'ECONNREFUSED':
      return new NetopsError('CONNECT_REFUSED', `connection refused by ${target}`, {
        hint: 'The device answers but nothing listens on this port: check the port and that the service (ssh/telnet) is enabled.',
        transient: true,
        ...withHost,
        cause: error,
      });
    case 'ETIMEDOUT':
      return new NetopsError('CONNECT_TIMEOUT', `connection to ${target} timed out`, {
        hint: 'Check that the device is up and reachable from this machine.',
        transient: true,
        ...withHost,
        cause: error,
      });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new NetopsError('UNREACHABLE', `${target} is unreachable from this machine (${error.code})`, {
        hint: 'Check routing to the device for this address family (and that this machine has an address of that family).',
        transient: true,
        ...withHost,
        cause: error,
      });
    case 'ECONNRESET':
    case 'EPIPE':
      return new NetopsError('CLOSED_BY_PEER', `${target} closed the connection (${error.code})`, {
        hint: 'The device dropped the session: check its VTY/access limits and logs.',
        transient: true,
        ...withHost,
        cause: error,
      });
    default:
      return new NetopsError('UNREACHABLE', `cannot connect to ${target}: ${error.message}`, {
        hint: 'Check the address and port in the inventory.',
        ...withHost,
        cause: error,
      });
  }
}
