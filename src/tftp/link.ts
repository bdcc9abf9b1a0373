/**
 * One side of a TFTP transfer: a UDP socket (our TID) talking to one peer address and port (theirs).
 * Packets from any other source get ERROR 5 and the transfer goes on (RFC 1350 §4). Undecodable
 * packets from the peer are dropped: a corrupted datagram must not end a good transfer.
 */
import type { Socket } from 'node:dgram';
import { unmapAddress } from '../net/embedded.js';
import { decodePacket, encodeError, TFTP_ERROR, type Packet } from './packet.js';

export interface PeerEndpoint {
  readonly address: string;
  /** Unknown until the server answers a client's request from its new TID. */
  port?: number;
}

export class LinkAbortedError extends Error {
  override readonly name = 'LinkAbortedError';
}

export class PeerLink {
  readonly #socket: Socket;
  readonly #peer: PeerEndpoint;
  readonly #peerKey: string;
  readonly #queue: Packet[] = [];
  #waiter: ((packet: Packet | undefined) => void) | undefined;
  #closed = false;
  /** Datagrams handed to the OS but not yet sent: closing before they leave would drop a last ERROR. */
  #sending = 0;

  constructor(socket: Socket, peer: PeerEndpoint) {
    this.#socket = socket;
    this.#peer = peer;
    this.#peerKey = unmapAddress(peer.address);
    socket.on('message', (message, from) => this.#onMessage(message, from.address, from.port));
    // Datagram sockets report ICMP errors asynchronously; a time-out covers them.
    socket.on('error', () => undefined);
  }

  get peer(): Readonly<PeerEndpoint> {
    return this.#peer;
  }

  #onMessage(message: Buffer, address: string, port: number): void {
    if (this.#closed) return;
    const fromPeer = unmapAddress(address) === this.#peerKey;
    if (fromPeer && this.#peer.port === undefined) this.#peer.port = port;
    if (!fromPeer || port !== this.#peer.port) {
      this.#socket.send(encodeError(TFTP_ERROR.UNKNOWN_TID, 'Unknown transfer ID'), port, address);
      return;
    }
    let packet: Packet;
    try {
      packet = decodePacket(message);
    } catch {
      return;
    }
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter(packet);
    } else {
      this.#queue.push(packet);
    }
  }

  /** Sends to the peer's TID, or to `port` while the peer's TID is not known yet (the request). */
  send(packet: Buffer, port = this.#peer.port): void {
    if (this.#closed || port === undefined) return;
    this.#sending++;
    this.#socket.send(packet, port, this.#peer.address, () => {
      if (--this.#sending === 0 && this.#closed) this.#socket.close();
    });
  }

  /** Puts back a packet read during the handshake so the data phase sees it first. */
  unshift(packet: Packet): void {
    this.#queue.unshift(packet);
  }

  /** The next packet from the peer, or undefined after `timeoutMs` without one. */
  receive(timeoutMs: number, signal?: AbortSignal): Promise<Packet | undefined> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (signal?.aborted) return Promise.reject(new LinkAbortedError('aborted'));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        finish();
        reject(new LinkAbortedError('aborted'));
      };
      const timer = setTimeout(() => {
        finish();
        resolve(undefined);
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiter = undefined;
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiter = (packet) => {
        finish();
        resolve(packet);
      };
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiter?.(undefined);
    if (this.#sending === 0) this.#socket.close();
  }
}
