/**
 * Telnet transport: our own protocol filter (telnet-protocol.ts) on a `net.Socket` netops connects
 * itself, IPv4 or IPv6. Login is the channel's job: here only bytes move.
 */
import type net from 'node:net';
import { NetopsError } from '../core/errors.js';
import { connectTarget, hostOf } from './connect.js';
import { StreamListeners, closedByNetops } from './listeners.js';
import { BRK, IAC, TelnetParser, escapeIac, type TelnetTerminal } from './telnet-protocol.js';
import type { Transport, TransportKind, TransportTarget } from './transport.js';

export interface TelnetTransportOptions {
  readonly target: TransportTarget;
  /** @default 10000 */
  readonly connectTimeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly terminal?: TelnetTerminal | undefined;
}

export async function openTelnet(
  options: TelnetTransportOptions,
  kind: TransportKind = 'telnet',
): Promise<Transport> {
  const { socket, peer } = await connectTarget(options.target, 23, {
    timeoutMs: options.connectTimeoutMs ?? 10_000,
    signal: options.signal,
  });
  return new TelnetTransport(socket, peer, kind, options);
}

class TelnetTransport implements Transport {
  readonly kind: TransportKind;
  /** RFC 854: end of line is CR LF in both directions. */
  readonly newline = '\r\n';
  readonly peer: string;
  readonly #socket: net.Socket;
  readonly #events = new StreamListeners();
  readonly #parser: TelnetParser;

  constructor(socket: net.Socket, peer: string, kind: TransportKind, options: TelnetTransportOptions) {
    this.#socket = socket;
    this.peer = peer;
    this.kind = kind;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 15_000);
    this.#parser = new TelnetParser((bytes) => socket.write(bytes), options.terminal);
    socket.on('data', (chunk: Buffer) => {
      const data = this.#parser.push(chunk);
      if (data.length > 0) this.#events.emitData(data);
    });
    const hungUp = (error?: Error) =>
      this.#events.emitClose(
        new NetopsError(
          'CLOSED_BY_PEER',
          `${peer} closed the ${kind} session${error ? ` (${error.message})` : ''}`,
          {
            hint: 'The device or terminal server ended the session: check its logs, line settings and idle timeouts.',
            transient: true,
            ...hostOf(options.target),
          },
        ),
      );
    socket.on('error', hungUp);
    socket.on('close', () => hungUp());
  }

  get closed(): NetopsError | undefined {
    return this.#events.closed;
  }

  write(data: string | Uint8Array): void {
    this.#socket.write(escapeIac(Buffer.from(data)));
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.#events.onData(listener);
  }

  onClose(listener: (reason: NetopsError) => void): () => void {
    return this.#events.onClose(listener);
  }

  isAlive(): boolean {
    return this.#events.closed === undefined;
  }

  sendBreak(): void {
    this.#socket.write(Buffer.from([IAC, BRK]));
  }

  async close(): Promise<void> {
    this.#events.emitClose(closedByNetops(`${this.kind} session to ${this.peer}`));
    await new Promise<void>((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 1000).unref();
    });
  }
}
