/**
 * The data phase of a transfer, shared by the server and the client: a sender of DATA blocks and a
 * receiver that ACKs them, both windowed (RFC 7440; windowsize 1 is classic lock-step).
 *
 * Rules that keep it correct on a lossy path:
 * - only a time-out makes the sender retransmit (with backoff, a bounded number of times); a
 *   duplicate ACK is ignored, so there is no Sorcerer's Apprentice (RFC 1123 §4.2.3.1);
 * - an ACK inside the window moves the window there and the sender goes on from the next block
 *   (RFC 7440 roll-back);
 * - as a sender, block numbers wrap 65535 -> 0; as a receiver, a wrap to 0 or to 1 is accepted, a
 *   wrap to 1 only once no sender wrapping to 0 could have sent the block that shows it;
 * - the receiver lingers ("dallies") after the final ACK to re-ACK a retransmitted last block.
 */
import { LinkAbortedError, type DatagramHandler, type PeerLink } from './link.js';
import { Assembly } from './assembly.js';
import { bufferBlocks, type BlockSource } from './blocks.js';
import { createNetasciiDecoder, type NetasciiDecoder } from './netascii.js';
import { decodePacket, encodeAck, encodeDataHeader, encodeError, TFTP_ERROR, type Packet } from './packet.js';

export type TransferFailure =
  'timeout' | 'remote-error' | 'too-large' | 'short' | 'aborted' | 'protocol' | 'local';

export class TransferError extends Error {
  override readonly name = 'TransferError';
  constructor(
    readonly kind: TransferFailure,
    message: string,
    /** The TFTP error code sent or received, when there was one. */
    readonly code?: number,
    /** The block being waited for when it failed. */
    readonly block?: number,
  ) {
    super(message);
  }
}

export interface TransferTiming {
  /** First retransmission time-out; it doubles on each retry up to eight times this value. */
  readonly timeoutMs: number;
  /** Retransmissions of one packet before giving up. */
  readonly retries: number;
  readonly signal?: AbortSignal | undefined;
}

export interface BlockOptions extends TransferTiming {
  readonly blksize: number;
  readonly windowsize: number;
}

/** The wait before retransmission number `attempt` (0 = first wait). */
export function backoffMs(timing: TransferTiming, attempt: number): number {
  return Math.min(timing.timeoutMs * 2 ** attempt, timing.timeoutMs * 8);
}

/** Counts one more time-out, or gives up once the retries are spent. */
function nextAttempt(attempt: number, timing: TransferTiming, waitingFor: string, block: number): number {
  if (attempt + 1 > timing.retries) {
    throw new TransferError('timeout', `no ${waitingFor} after ${attempt + 1} tries`, undefined, block);
  }
  return attempt + 1;
}

/** The time-outs of `timing` in an object of one shape, whatever shape the caller's options have. */
function ownTiming(timing: TransferTiming): TransferTiming {
  return { timeoutMs: timing.timeoutMs, retries: timing.retries };
}

/**
 * Runs a data phase; an abort while it waits tells the peer (ERROR 0) and fails as 'aborted'.
 * Caught here once rather than around each wait: a promise per packet is CPU on every block.
 */
async function abortable<T>(link: PeerLink, phase: () => Promise<T>): Promise<T> {
  try {
    return await phase();
  } catch (error) {
    if (error instanceof LinkAbortedError) {
      link.send(encodeError(TFTP_ERROR.NOT_DEFINED, 'Transfer cancelled'));
      throw new TransferError('aborted', 'transfer aborted');
    }
    throw error;
  }
}

function remoteError(code: number, message: string, block: number): TransferError {
  return new TransferError('remote-error', `peer sent ERROR ${code}: ${message}`, code, block);
}

export interface SendOptions extends BlockOptions {
  /** A packet that must be ACKed with block 0 before DATA 1 (a server's OACK to an RRQ). */
  readonly first?: Buffer | undefined;
  readonly onBlock?: ((block: number, bytes: number) => void) | undefined;
}

/** Sends `data` as DATA blocks and resolves when the last one is ACKed. */
export function sendBlocks(link: PeerLink, data: Buffer | BlockSource, options: SendOptions): Promise<void> {
  const source = Buffer.isBuffer(data) ? bufferBlocks(data, options.blksize) : data;
  return abortable(link, () => sendWindows(link, source, options));
}

async function sendWindows(link: PeerLink, source: BlockSource, options: SendOptions): Promise<void> {
  // Read once: callers build their options with spreads, which give each object a map of its own, so
  // reading them per window would be a megamorphic load (a stub-cache probe, often a runtime lookup).
  const { blksize, windowsize, first, signal, onBlock } = options;
  const timing = ownTiming(options);
  // A file that is an exact multiple of blksize ends with an empty block.
  const lastBlock = Math.floor(source.size / blksize) + 1;
  const packetFor = (block: number) =>
    block === 0 && first ? first : [encodeDataHeader(block), source.block(block)];
  let base = first ? 0 : 1; // oldest block not yet ACKed
  let attempt = 0;
  while (base <= lastBlock) {
    const end = base === 0 ? 0 : Math.min(base + windowsize - 1, lastBlock);
    const loading = base === 0 ? undefined : source.load(base, end);
    if (loading) await loading;
    for (let block = base; block <= end; block++) link.send(packetFor(block));
    // One budget per window: an ignored packet (duplicate ACK) must not reset the clock.
    const until = Date.now() + backoffMs(timing, attempt);
    for (;;) {
      const packet = await link.receiveBy(until, signal);
      if (!packet) {
        attempt = nextAttempt(attempt, timing, `ACK for block ${base}`, base);
        break;
      }
      if (packet.op === 'ERROR') throw remoteError(packet.code, packet.message, base);
      if (packet.op !== 'ACK') continue;
      // The ACKed block as a whole number: the one in [base-1, end] with these low 16 bits.
      const acked = base - 1 + ((packet.block - ((base - 1) & 0xffff) + 0x10000) & 0xffff);
      if (acked < base || acked > end) continue; // duplicate or stray ACK: wait for the time-out
      for (let block = Math.max(base, 1); block <= acked; block++) {
        onBlock?.(block, Math.min(block * blksize, source.size));
      }
      base = acked + 1;
      attempt = 0;
      break;
    }
  }
}

/**
 * The first buffer of a file whose sender announced no size (classic IOS sends no tsize): room for a
 * config of tens of KB, so that most uploads never grow it (from a few KB that was four copies and
 * four allocations per upload). Pages never written cost nothing.
 */
const GUESSED_FILE_BYTES = 64 * 1024;

export interface ReceiveOptions extends BlockOptions {
  readonly mode: 'octet' | 'netascii';
  /** Most bytes accepted (after netascii decoding); more gets ERROR 3. */
  readonly maxBytes?: number | undefined;
  /**
   * The size the sender announced (tsize): sizes the buffer once; an octet file that ends short of it
   * is refused (ERROR 0), one that ends past it is kept (the data decides).
   */
  readonly expectedBytes?: number | undefined;
  /** Sent first and again on time-outs until DATA 1 arrives (ACK 0 or OACK to a WRQ, ACK 0 after an OACK). */
  readonly first?: Buffer | undefined;
  /**
   * How long to linger after the final ACK. @default three time-outs: a sender that lost our final
   * ACK retransmits one time-out later plus however long its machine kept it from running; one
   * time-out of dally lost that race on a loaded machine (the sender then failed a complete upload).
   */
  readonly dallyMs?: number | undefined;
}

/** Where a receiver puts the file's bytes, in order: memory (an Assembly) or a file being written. */
export interface ReceiveSink {
  /** Bytes taken so far. */
  readonly length: number;
  /** Takes `bytes` from `start` on (a datagram past its DATA header: no view made per block). */
  append(bytes: Buffer, start: number): void;
  /**
   * Runs after the last block and before the final ACK: the peer is told the file arrived only once
   * it succeeded (a commit to disk). A failure's numeric `code` is the TFTP error sent instead.
   */
  complete(): Promise<void>;
  /** The transfer failed: drop what was taken (a partial file), before the peer is told. */
  discard(): Promise<void>;
}

/** A transfer received whole and ACKed. */
export interface Finished {
  /** Settles when the dally after the final ACK is over; close the link then. */
  readonly linger: Promise<void>;
}

export interface Received extends Finished {
  readonly data: Buffer;
}

/** Receives DATA blocks into memory until a short one, ACKing every `windowsize` blocks. */
export async function receiveBlocks(link: PeerLink, options: ReceiveOptions): Promise<Received> {
  const file = new Assembly(
    options.expectedBytes ?? Math.max(GUESSED_FILE_BYTES, 8 * options.blksize * options.windowsize),
  );
  const { linger } = await receiveInto(link, file, options);
  return { data: file.data(), linger };
}

/** Receives DATA blocks into `sink` until a short one; resolves once the final ACK is sent. */
export async function receiveInto(
  link: PeerLink,
  sink: ReceiveSink,
  options: ReceiveOptions,
): Promise<Finished> {
  const receiver = new BlockReceiver(link, sink, options);
  try {
    return await abortable(link, () => receiver.run());
  } catch (error) {
    // Discarded before the peer hears of the failure, so what it sees then is final: no partial file.
    await sink.discard();
    receiver.sendFailure();
    throw error;
  }
}

/** The DATA opcode's second byte: a datagram starting 0, 3 is a DATA block. */
const DATA_OPCODE_LOW_BYTE = 3;

/**
 * The receiving side's state: which block comes next, what was ACKed last, the file so far. It is the
 * link's datagram handler during the data phase, so each block is taken as it arrives: DATA is read in
 * place (block number, payload copied from the datagram), only other packets are decoded.
 */
class BlockReceiver implements DatagramHandler {
  readonly #link: PeerLink;
  readonly #options: ReceiveOptions;
  /**
   * What every block reads, copied out of the options: those are built with spreads, which give each
   * transfer's object a map of its own, and a thousand transfers at once made every read of them a
   * megamorphic load that missed the stub cache (a runtime property lookup per packet).
   */
  readonly #timing: TransferTiming;
  readonly #blksize: number;
  readonly #windowsize: number;
  readonly #maxBytes: number | undefined;
  readonly #decoder: NetasciiDecoder | undefined;
  readonly #file: ReceiveSink;
  #expected = 1;
  /** The last block taken in order, which a stray is answered with (expected - 1 is 0 after a wrap to 1). */
  #inOrder = 0;
  /** Senders wrap 65535 to 0 (most) or to 1 (a few): 1 once a block at the first wrap showed it. */
  #wrapTo = 0;
  #accepted = 0;
  #lastAck: Buffer | undefined;
  #sinceAck = 0;
  #strays = 0;
  #attempt = 0;
  /** The ERROR for the peer when we failed the transfer. */
  #failure: Buffer | undefined;
  /** Settles run() with the data phase's end (the final ACK's commit, or a failure); undefined once it has. */
  #outcome: ((finished: Promise<Finished>) => void) | undefined;

  constructor(link: PeerLink, sink: ReceiveSink, options: ReceiveOptions) {
    this.#link = link;
    this.#options = options;
    this.#timing = ownTiming(options);
    this.#blksize = options.blksize;
    this.#windowsize = options.windowsize;
    this.#maxBytes = options.maxBytes;
    this.#decoder = options.mode === 'netascii' ? createNetasciiDecoder() : undefined;
    this.#file = sink;
    this.#lastAck = options.first;
  }

  /** Takes blocks until the last one; resolves once the final ACK is sent. */
  run(): Promise<Finished> {
    return new Promise<Finished>((resolve) => {
      this.#outcome = resolve;
      if (this.#lastAck) this.#link.send(this.#lastAck);
      // The budget survives ignored packets (strays, duplicates); only a block in order renews it.
      this.#link.handle(this, Date.now() + backoffMs(this.#timing, this.#attempt), this.#options.signal);
      // Packets read before the data phase (a client's DATA 1) come first.
      for (let queued = this.#link.takeQueued(); queued && this.#outcome; queued = this.#link.takeQueued()) {
        try {
          this.#onPacket(queued);
        } catch (error) {
          this.#fail(error);
        }
      }
    });
  }

  // What a step throws fails the transfer here rather than escaping into the socket's event.
  datagram(message: Buffer): void {
    try {
      if (message.length >= 4 && message[0] === 0 && message[1] === DATA_OPCODE_LOW_BYTE) {
        this.#onData(message.readUInt16BE(2), message, 4);
        return;
      }
      let packet: Packet;
      try {
        packet = decodePacket(message);
      } catch {
        return; // a corrupted datagram must not end a good transfer
      }
      this.#onPacket(packet);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Nothing in time: resend what we sent last (the peer may have lost it), or give up. */
  expired(): void {
    const block = this.#expected;
    try {
      this.#attempt = nextAttempt(this.#attempt, this.#timing, `DATA block ${block}`, block);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#lastAck) this.#link.send(this.#lastAck);
    this.#link.waitUntil(Date.now() + backoffMs(this.#timing, this.#attempt));
  }

  aborted(error: LinkAbortedError): void {
    this.#fail(error);
  }

  #fail(error: unknown): void {
    this.#settle(Promise.reject(error));
  }

  /** Ends the data phase: the link stops handing us datagrams (later ones queue for the dally). */
  #settle(result: Promise<Finished>): void {
    const outcome = this.#outcome;
    if (!outcome) {
      result.catch(() => undefined);
      return;
    }
    this.#outcome = undefined;
    this.#link.handle(undefined);
    outcome(result);
  }

  #onPacket(packet: Packet): void {
    if (packet.op === 'ERROR') throw remoteError(packet.code, packet.message, this.#expected);
    if (packet.op === 'DATA') this.#onData(packet.block, packet.data, 0);
  }

  /** A DATA block whose payload is `wire` from `start` on. */
  #onData(block: number, wire: Buffer, start: number): void {
    if (block !== this.#expected && !this.#wrapsToOne(block)) {
      this.#onStray();
      return;
    }
    this.#accept(wire, start);
    if (wire.length - start < this.#blksize) {
      this.#settle(this.#finish(block));
      return;
    }
    if (this.#sinceAck >= this.#windowsize) this.#ack(block);
    this.#inOrder = block;
    this.#expected = block === 0xffff ? this.#wrapTo : block + 1;
    this.#link.waitUntil(Date.now() + this.#timing.timeoutMs); // a block in order resets the back-off
  }

  /**
   * At the first wrap (block 0 expected), whether `block` shows that the sender wraps 65535 to 1 and
   * is the block to take. Block 1 alone does not show it in a window: a sender wrapping to 0 that lost
   * block 0 sends 1 and on as well. Our last ACK lets the sender's window reach wire
   * `windowsize - sinceAck - 1` after a wrap to 0, one more after a wrap to 1: only that last block
   * tells (in lock-step, block 1 itself). Shown by a block past 1, the blocks before it are still to
   * come: it is answered as a stray (ACK 65535) and the sender goes on from 1. A windowed sender
   * wrapping to 1 whose file ends before that block is never shown and times out: a corrupt file
   * ACKed as whole would be worse.
   */
  #wrapsToOne(block: number): boolean {
    if (this.#expected !== 0 || this.#accepted !== 0xffff || block !== this.#windowsize - this.#sinceAck) {
      return false;
    }
    this.#wrapTo = 1;
    this.#expected = 1;
    return block === 1;
  }

  #ack(block: number): void {
    this.#lastAck = encodeAck(block);
    this.#link.send(this.#lastAck);
    this.#sinceAck = 0;
  }

  /** Fails on our side; the peer gets the ERROR from sendFailure(), once the sink is discarded. */
  #failLocally(code: number, kind: TransferFailure, message: string): never {
    this.#failure = encodeError(code, message);
    throw new TransferError(kind, message, code, this.#expected);
  }

  sendFailure(): void {
    if (this.#failure) this.#link.send(this.#failure);
  }

  /**
   * Out of order or a retransmission: ACK the last block in order, once per window of strays. Before
   * the first block that is ACK 0, even after an OACK: a DATA shows the OACK arrived, and atftp takes
   * an OACK sent again for the ACK of the window it just sent, and goes on past a lost block 1.
   */
  #onStray(): void {
    this.#strays++;
    if (this.#strays === 1 || this.#strays % this.#windowsize === 0) this.#ack(this.#inOrder);
  }

  /** Takes the next block in order (`wire` from `start` on) into the file. */
  #accept(wire: Buffer, start: number): void {
    const blksize = this.#blksize;
    const maxBytes = this.#maxBytes;
    const bytes = wire.length - start;
    if (bytes > blksize) {
      this.#failLocally(
        TFTP_ERROR.ILLEGAL_OPERATION,
        'protocol',
        `DATA block of ${bytes} bytes exceeds blksize ${blksize}`,
      );
    }
    const decoded = this.#decoder?.push(start === 0 ? wire : wire.subarray(start));
    const taken = decoded ? decoded.length : bytes;
    if (maxBytes !== undefined && this.#file.length + taken > maxBytes) {
      this.#failLocally(TFTP_ERROR.DISK_FULL, 'too-large', `file exceeds the limit of ${maxBytes} bytes`);
    }
    if (decoded) this.#file.append(decoded, 0);
    else this.#file.append(wire, start);
    this.#accepted++;
    this.#attempt = 0;
    this.#strays = 0;
    this.#sinceAck++;
  }

  /** The last block is in: complete the sink (a commit), then the final ACK, then linger for its retransmissions. */
  async #finish(block: number): Promise<Finished> {
    if (this.#decoder) this.#file.append(this.#decoder.end(), 0);
    const { dallyMs, timeoutMs, signal, expectedBytes } = this.#options;
    // A sender that announced its size and stopped short did not send its file (one that ignored an
    // OACK raising blksize ends at its first 512-byte block). Past it is kept: curl announces 0 for a
    // size it does not know. Octet only: netascii changes the size on the way.
    if (expectedBytes !== undefined && !this.#decoder && this.#file.length < expectedBytes) {
      this.#failLocally(
        TFTP_ERROR.NOT_DEFINED,
        'short',
        `the file ended after ${this.#file.length} of the ${expectedBytes} bytes its sender announced (tsize)`,
      );
    }
    try {
      await this.#file.complete();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      this.#failLocally(typeof code === 'number' ? code : TFTP_ERROR.NOT_DEFINED, 'local', message);
    }
    this.#ack(block);
    return { linger: dally(this.#link, this.#lastAck as Buffer, block, dallyMs ?? 3 * timeoutMs, signal) };
  }
}

/** After the final ACK: re-ACK the last block if the sender retransmits it (its copy of our ACK was lost). */
async function dally(
  link: PeerLink,
  finalAck: Buffer,
  lastBlock: number,
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    const packet = await link.receive(left, signal).catch(() => undefined);
    if (!packet || packet.op === 'ERROR') return;
    if (packet.op === 'DATA' && packet.block === lastBlock) link.send(finalAck);
  }
}
