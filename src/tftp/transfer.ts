/**
 * The data phase of a transfer, shared by the server and the client: a sender of DATA blocks and a
 * receiver that ACKs them, both windowed (RFC 7440; windowsize 1 is classic lock-step).
 *
 * Rules that keep it correct on a lossy path:
 * - only a time-out makes the sender retransmit (with backoff, a bounded number of times); a
 *   duplicate ACK is ignored, so there is no Sorcerer's Apprentice (RFC 1123 §4.2.3.1);
 * - an ACK inside the window moves the window there and the sender goes on from the next block
 *   (RFC 7440 roll-back);
 * - as a sender, block numbers wrap 65535 -> 0; as a receiver, a wrap to 0 or to 1 is accepted;
 * - the receiver lingers ("dallies") after the final ACK to re-ACK a retransmitted last block.
 */
import { LinkAbortedError, type PeerLink } from './link.js';
import { createNetasciiDecoder } from './netascii.js';
import { encodeAck, encodeData, encodeError, TFTP_ERROR } from './packet.js';

export type TransferFailure = 'timeout' | 'remote-error' | 'too-large' | 'aborted' | 'protocol' | 'local';

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

/** A time-out budget that survives ignored packets: a duplicate must not reset the clock. */
function deadline(timing: TransferTiming, attempt: number): () => number {
  const end = Date.now() + backoffMs(timing, attempt);
  return () => Math.max(0, end - Date.now());
}

/** Counts one more time-out, or gives up once the retries are spent. */
function nextAttempt(attempt: number, timing: TransferTiming, waitingFor: string, block: number): number {
  if (attempt + 1 > timing.retries) {
    throw new TransferError('timeout', `no ${waitingFor} after ${attempt + 1} tries`, undefined, block);
  }
  return attempt + 1;
}

async function receiveOrAbort(link: PeerLink, ms: number, signal: AbortSignal | undefined) {
  try {
    return await link.receive(ms, signal);
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
export async function sendBlocks(link: PeerLink, data: Buffer, options: SendOptions): Promise<void> {
  const { blksize, windowsize } = options;
  // A file that is an exact multiple of blksize ends with an empty block.
  const lastBlock = Math.floor(data.length / blksize) + 1;
  const packetFor = (block: number) =>
    block === 0 && options.first
      ? options.first
      : encodeData(block, data.subarray((block - 1) * blksize, block * blksize));
  let base = options.first ? 0 : 1; // oldest block not yet ACKed
  let attempt = 0;
  while (base <= lastBlock) {
    const end = base === 0 ? 0 : Math.min(base + windowsize - 1, lastBlock);
    for (let block = base; block <= end; block++) link.send(packetFor(block));
    const remaining = deadline(options, attempt);
    for (;;) {
      const packet = await receiveOrAbort(link, remaining(), options.signal);
      if (!packet) {
        attempt = nextAttempt(attempt, options, `ACK for block ${base}`, base);
        break;
      }
      if (packet.op === 'ERROR') throw remoteError(packet.code, packet.message, base);
      if (packet.op !== 'ACK') continue;
      // The ACKed block as a whole number: the one in [base-1, end] with these low 16 bits.
      const acked = base - 1 + ((packet.block - ((base - 1) & 0xffff) + 0x10000) & 0xffff);
      if (acked < base || acked > end) continue; // duplicate or stray ACK: wait for the time-out
      for (let block = Math.max(base, 1); block <= acked; block++) {
        options.onBlock?.(block, Math.min(block * blksize, data.length));
      }
      base = acked + 1;
      attempt = 0;
      break;
    }
  }
}

export interface ReceiveOptions extends BlockOptions {
  readonly mode: 'octet' | 'netascii';
  /** Most bytes accepted (after netascii decoding); more gets ERROR 3. */
  readonly maxBytes?: number | undefined;
  /** Sent first and again on time-outs until DATA 1 arrives (ACK 0 or OACK to a WRQ, ACK 0 after an OACK). */
  readonly first?: Buffer | undefined;
  /** Runs with the whole file before the final ACK: a commit to disk must succeed before the peer is told so. */
  readonly beforeFinalAck?: ((data: Buffer) => Promise<void>) | undefined;
  /** How long to linger after the final ACK. @default timeoutMs */
  readonly dallyMs?: number | undefined;
}

export interface Received {
  readonly data: Buffer;
  /** Settles when the dally after the final ACK is over; close the link then. */
  readonly linger: Promise<void>;
}

/** Receives DATA blocks until a short one, ACKing every `windowsize` blocks. */
export async function receiveBlocks(link: PeerLink, options: ReceiveOptions): Promise<Received> {
  const { blksize, windowsize } = options;
  const decoder = options.mode === 'netascii' ? createNetasciiDecoder() : undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let expected = 1;
  let wrapTo = 0; // senders wrap 65535 to 0 (most) or to 1 (a few): learnt at the first wrap
  let accepted = 0;
  let lastAck: Buffer | undefined = options.first;
  let sinceAck = 0;
  let strays = 0;
  let attempt = 0;
  const ack = (block: number) => {
    lastAck = encodeAck(block);
    link.send(lastAck);
    sinceAck = 0;
  };
  const fail = (code: number, kind: TransferFailure, message: string): never => {
    link.send(encodeError(code, message));
    throw new TransferError(kind, message, code, expected);
  };
  if (lastAck) link.send(lastAck);
  let remaining = deadline(options, attempt);
  for (;;) {
    const packet = await receiveOrAbort(link, remaining(), options.signal);
    if (!packet) {
      attempt = nextAttempt(attempt, options, `DATA block ${expected}`, expected);
      if (lastAck) link.send(lastAck);
      remaining = deadline(options, attempt);
      continue;
    }
    if (packet.op === 'ERROR') throw remoteError(packet.code, packet.message, expected);
    if (packet.op !== 'DATA') continue;
    const wrappedToOne = expected === 0 && packet.block === 1 && accepted >= 0xffff;
    if (packet.block !== expected && !wrappedToOne) {
      // Out of order or a retransmission: ACK the last block in order, once per window of strays.
      strays++;
      if ((strays === 1 || strays % windowsize === 0) && accepted > 0) ack((expected - 1 + 0x10000) & 0xffff);
      else if (strays === 1 && lastAck) link.send(lastAck);
      continue;
    }
    if (packet.data.length > blksize) {
      fail(
        TFTP_ERROR.ILLEGAL_OPERATION,
        'protocol',
        `DATA block of ${packet.data.length} bytes exceeds blksize ${blksize}`,
      );
    }
    if (wrappedToOne) wrapTo = 1;
    const chunk = decoder ? decoder.push(packet.data) : packet.data;
    bytes += chunk.length;
    if (options.maxBytes !== undefined && bytes > options.maxBytes) {
      fail(TFTP_ERROR.DISK_FULL, 'too-large', `file exceeds the limit of ${options.maxBytes} bytes`);
    }
    chunks.push(decoder ? chunk : Buffer.from(chunk));
    accepted++;
    attempt = 0;
    strays = 0;
    sinceAck++;
    const final = packet.data.length < blksize;
    if (final) {
      if (decoder) chunks.push(decoder.end());
      const data = Buffer.concat(chunks);
      if (options.beforeFinalAck) {
        try {
          await options.beforeFinalAck(data);
        } catch (error) {
          const code =
            error instanceof TransferError && error.code !== undefined ? error.code : TFTP_ERROR.NOT_DEFINED;
          fail(code, 'local', error instanceof Error ? error.message : String(error));
        }
      }
      ack(packet.block);
      return {
        data,
        linger: dally(
          link,
          lastAck as Buffer,
          packet.block,
          options.dallyMs ?? options.timeoutMs,
          options.signal,
        ),
      };
    }
    if (sinceAck >= windowsize) ack(packet.block);
    expected = packet.block === 0xffff ? wrapTo : packet.block + 1;
    remaining = deadline(options, attempt);
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
