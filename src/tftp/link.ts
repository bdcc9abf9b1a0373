/**
 * One side of a TFTP transfer: a UDP socket (our TID) talking to one peer address and port (theirs).
 * Packets from any other source get ERROR 5 (an ERROR gets nothing) and the transfer goes on (RFC 1350
 * §4). Undecodable packets from the peer are dropped: a corrupted datagram must not end a good transfer.
 *
 * Every packet of a transfer passes through here, so the path is kept lean: one timer per link that
 * is moved only when a wait must end sooner (not one timer per packet), and sends without a
 * completion callback except for an ERROR, the packet that is followed by closing the socket. A
 * receiver's data phase takes the datagrams through a handler (`handle`), called as each arrives:
 * no promise, no decoded object and no await per block.
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

/** Takes a link's datagrams as they arrive, in place of `receive()` (see `PeerLink.handle`). */
export interface DatagramHandler {
  /** A datagram from the peer's TID, not decoded: the handler reads what it needs in place. */
  datagram(message: Buffer): void;
  /** The deadline set with `handle` or `waitUntil` passed. */
  expired(): void;
  /** The watched signal fired. */
  aborted(error: LinkAbortedError): void;
}

/** The second byte of an ERROR packet's opcode (0, 5). */
const ERROR_OPCODE_LOW_BYTE = 5;

export class PeerLink {
  readonly #socket: Socket;
  readonly #peer: PeerEndpoint;
  readonly #peerKey: string;
  readonly #queue: Packet[] = [];
  /** The receive() waiting for a packet, if any. */
  #pending: { resolve(packet: Packet | undefined): void; reject(error: Error): void } | undefined;
  /** Set by `handle`: takes every datagram instead of the queue and `receive()`. */
  #handler: DatagramHandler | undefined;
  /** When the pending receive or the handler's wait gives up (Date.now() ms). */
  #deadline = 0;
  /** The link's one timer; it may fire before #deadline (then it is set again for the rest). */
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  /** One abort listener per link, not one per packet: a 10 MB transfer waits thousands of times. */
  #watched: { signal: AbortSignal; onAbort: () => void } | undefined;
  /** The watched signal has fired. */
  #aborted = false;
  /** abort() was called: every wait from now on fails at once. */
  #cancelled = false;
  #closed = false;
  /** ERRORs handed to the OS but not yet sent: closing before they leave would drop them. */
  #sending = 0;

  /** `peerKey`: the peer's address as unmapAddress gives it, when the caller has it already. */
  constructor(socket: Socket, peer: PeerEndpoint, peerKey = unmapAddress(peer.address)) {
    this.#socket = socket;
    this.#peer = peer;
    this.#peerKey = peerKey;
    socket.on('message', (message, from) => this.#onMessage(message, from.address, from.port));
    // Datagram sockets report ICMP errors asynchronously; a time-out covers them.
    socket.on('error', () => undefined);
  }

  get peer(): Readonly<PeerEndpoint> {
    return this.#peer;
  }

  #onMessage(message: Buffer, address: string, port: number): void {
    if (this.#closed) return;
    // Plain string equality first: canonicalizing every address costs a tenth of the CPU under load.
    const fromPeer = address === this.#peer.address || unmapAddress(address) === this.#peerKey;
    if (fromPeer && this.#peer.port === undefined) this.#peer.port = port;
    if (!fromPeer || port !== this.#peer.port) {
      // Never an answer to an ERROR: two sockets that are strangers to each other (ours, or one as
      // careless) would bounce ERROR 5 back and forth for as long as both live.
      if (message[0] !== 0 || message[1] !== ERROR_OPCODE_LOW_BYTE) {
        this.#socket.send(encodeError(TFTP_ERROR.UNKNOWN_TID, 'Unknown transfer ID'), port, address);
      }
      return;
    }
    if (this.#handler) {
      this.#handler.datagram(message);
      return;
    }
    let packet: Packet;
    try {
      packet = decodePacket(message);
    } catch {
      return;
    }
    const pending = this.#pending;
    if (pending) {
      this.#pending = undefined;
      pending.resolve(packet);
    } else this.#queue.push(packet);
  }

  /**
   * Sends to the peer's TID, or to `port` while the peer's TID is not known yet (the request). A list
   * of buffers goes out as one datagram (a DATA header and a slice of the file, without copying).
   */
  send(packet: Buffer | readonly Buffer[], port = this.#peer.port): void {
    if (this.#closed || port === undefined) return;
    const head = Array.isArray(packet) ? (packet[0] as Buffer) : (packet as Buffer);
    if (head[1] !== ERROR_OPCODE_LOW_BYTE) {
      this.#socket.send(packet, port, this.#peer.address);
      return;
    }
    this.#sending++;
    this.#socket.send(packet, port, this.#peer.address, () => {
      if (--this.#sending === 0 && this.#closed) this.#socket.close();
    });
  }

  /** Puts back a packet read during the handshake so the data phase sees it first. */
  unshift(packet: Packet): void {
    this.#queue.unshift(packet);
  }

  /** The oldest packet received and not yet taken, if any (a handler takes these first). */
  takeQueued(): Packet | undefined {
    return this.#queue.shift();
  }

  /**
   * Hands every datagram to `handler` as it arrives, until `handle(undefined)`; `expired()` is called
   * when `deadline` (Date.now() ms, moved with `waitUntil`) passes first. Packets that arrived before
   * stay queued (`takeQueued`); after `handle(undefined)` they queue again for `receive()`.
   */
  handle(handler: DatagramHandler | undefined, deadline = 0, signal?: AbortSignal): void {
    this.#handler = handler;
    if (!handler) return;
    if (signal && signal !== this.#watched?.signal) this.#watch(signal);
    if (this.#cancelled || (signal && this.#aborted)) handler.aborted(new LinkAbortedError('aborted'));
    else this.waitUntil(deadline);
  }

  /** The next packet from the peer, or undefined after `timeoutMs` without one. */
  receive(timeoutMs: number, signal?: AbortSignal): Promise<Packet | undefined> {
    return this.receiveBy(Date.now() + timeoutMs, signal);
  }

  /**
   * The next packet from the peer, or undefined when the clock passes `deadline` (Date.now() ms)
   * without one: the data phase waits once per packet, and a deadline it already holds saves reading
   * the clock again here.
   */
  receiveBy(deadline: number, signal?: AbortSignal): Promise<Packet | undefined> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    // The watched signal's abort listener sets #aborted: no getter call per packet.
    if (signal && signal !== this.#watched?.signal) this.#watch(signal);
    if (this.#cancelled || (signal && this.#aborted)) return Promise.reject(new LinkAbortedError('aborted'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.waitUntil(deadline);
    });
  }

  /**
   * Sets when the wait under way gives up. The timer moves only when it would fire too late; firing
   * early just sets it again, so a deadline renewed per packet costs no timer work.
   */
  waitUntil(deadline: number): void {
    this.#deadline = deadline;
    if (this.#timer && this.#timerAt <= deadline) return;
    clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(this.#onTimer, Math.max(0, deadline - Date.now()));
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (!this.#pending && !this.#handler) return;
    const left = this.#deadline - Date.now();
    if (left > 0) this.waitUntil(this.#deadline);
    else if (this.#pending) this.#settle(undefined);
    else this.#handler?.expired();
  };

  /**
   * Aborts the wait under way and every later one, as a watched signal would (the server closing):
   * the owner's code then tells the peer and closes the link.
   */
  abort(): void {
    this.#cancelled = true;
    this.#interrupt();
  }

  #watch(signal: AbortSignal): void {
    this.#unwatch();
    this.#aborted = signal.aborted;
    const onAbort = () => {
      this.#aborted = true;
      this.#interrupt();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.#watched = { signal, onAbort };
  }

  #interrupt(): void {
    if (this.#handler) this.#handler.aborted(new LinkAbortedError('aborted'));
    else this.#settle(new LinkAbortedError('aborted'));
  }

  #unwatch(): void {
    this.#watched?.signal.removeEventListener('abort', this.#watched.onAbort);
    this.#watched = undefined;
    this.#aborted = false;
  }

  #settle(outcome: LinkAbortedError | undefined): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    if (outcome) pending.reject(outcome);
    else pending.resolve(undefined);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const handler = this.#handler;
    this.#handler = undefined;
    handler?.aborted(new LinkAbortedError('closed'));
    this.#settle(undefined);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unwatch();
    if (this.#sending === 0) this.#socket.close();
  }
}
