/**
 * Our TFTP client, the one the lab's simulated devices use the way a router does: `copy
 * running-config tftp:` is a `tftpPut`, `copy tftp: running-config` a `tftpGet`. It binds the source
 * address when asked (`ip tftp source-interface`), locks onto the server's new TID, negotiates
 * options only when they differ from RFC 1350 defaults, and shares the data phase with the server.
 */
import { createSocket, type Socket } from 'node:dgram';
import { parseAddress } from '../net/address.js';
import { resolveHost } from '../net/resolve.js';
import { PeerLink } from './link.js';
import { literalLookup } from './sockets.js';
import { encodeNetascii } from './netascii.js';
import { acceptOack, DEFAULT_BLKSIZE, OptionRefused, requestOptions } from './options.js';
import { encodeAck, encodeError, encodeRequest, TFTP_ERROR, type Packet, type RequestOp } from './packet.js';
import { backoffMs, receiveBlocks, sendBlocks, TransferError, type BlockOptions } from './transfer.js';

export type TftpClientFailure = 'timeout' | 'remote-error' | 'bind-failed' | 'aborted' | 'protocol-error';

export class TftpClientError extends Error {
  override readonly name = 'TftpClientError';
  readonly kind: TftpClientFailure;
  /** The TFTP error code the server sent (remote-error) or the OS error code (bind-failed). */
  readonly code: number | string | undefined;
  /** The TFTP error message the server sent, for remote-error. */
  readonly remoteMessage: string | undefined;

  constructor(
    kind: TftpClientFailure,
    message: string,
    extra: { code?: number | string; remoteMessage?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.kind = kind;
    this.code = extra.code;
    this.remoteMessage = extra.remoteMessage;
  }
}

export interface TftpClientOptions {
  /** Server address or name. */
  readonly server: string;
  /** @default 69 */
  readonly port?: number;
  readonly filename: string;
  /** Source address to bind, like `ip tftp source-interface`. @default any address */
  readonly localAddress?: string;
  /** @default 'octet' */
  readonly mode?: 'octet' | 'netascii';
  /** @default 512 (no option sent) */
  readonly blksize?: number;
  /** @default 1 (no option sent) */
  readonly windowsize?: number;
  /** First retransmission time-out; doubles per retry. @default 1000 */
  readonly timeoutMs?: number;
  /** @default 5 */
  readonly retries?: number;
  readonly signal?: AbortSignal;
}

export interface TftpPutOptions extends TftpClientOptions {
  readonly data: Buffer;
  /** Progress: called as each block is acknowledged, with the bytes acknowledged so far. */
  readonly onBlock?: (block: number, bytes: number) => void;
}

interface Session {
  readonly link: PeerLink;
  readonly block: BlockOptions;
  /** The server's first answer, already read (DATA 1 for a plain RRQ). */
  readonly first: Packet;
  readonly requested: ReadonlyMap<string, string>;
}

async function openSocket(options: TftpClientOptions): Promise<{ socket: Socket; address: string }> {
  // A source address decides the family; otherwise a name's IPv4 address is tried first, as routers do.
  const family = options.localAddress ? parseAddress(options.localAddress)?.family : undefined;
  const resolved = await resolveHost(options.server, family);
  const address = (resolved.v4[0] ?? resolved.v6[0]) as string;
  const useV6 = resolved.v4.length === 0;
  const socket = createSocket({ type: useV6 ? 'udp6' : 'udp4', lookup: literalLookup });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      const where = options.localAddress ?? 'any address';
      reject(
        new TftpClientError('bind-failed', `cannot bind TFTP source address ${where}: ${error.message}`, {
          code: error.code ?? 'unknown',
          cause: error,
        }),
      );
    });
    socket.bind({ port: 0, ...(options.localAddress ? { address: options.localAddress } : {}) }, () => {
      socket.removeAllListeners('error');
      resolve();
    });
  });
  return { socket, address };
}

function clientError(error: unknown, filename: string): TftpClientError {
  if (error instanceof TftpClientError) return error;
  if (error instanceof TransferError) {
    if (error.kind === 'remote-error') {
      return new TftpClientError('remote-error', `TFTP ${filename}: ${error.message}`, {
        code: error.code ?? TFTP_ERROR.NOT_DEFINED,
        remoteMessage: error.message.replace(/^peer sent ERROR \d+: /, ''),
      });
    }
    const kind = error.kind === 'timeout' || error.kind === 'aborted' ? error.kind : 'protocol-error';
    return new TftpClientError(kind, `TFTP ${filename}: ${error.message}`, { cause: error });
  }
  throw error;
}

/** Sends the request until the server answers from its new TID, then reads its option answer. */
async function open(op: RequestOp, options: TftpClientOptions, tsize: number | undefined): Promise<Session> {
  const { socket, address } = await openSocket(options);
  const link = new PeerLink(socket, { address });
  const timing = {
    timeoutMs: options.timeoutMs ?? 1000,
    retries: options.retries ?? 5,
    signal: options.signal,
  };
  const wanted = { blksize: options.blksize ?? DEFAULT_BLKSIZE, windowsize: options.windowsize ?? 1 };
  const requested = requestOptions({ ...wanted, ...(tsize === undefined ? {} : { tsize }) });
  const request = encodeRequest(op, options.filename, options.mode ?? 'octet', requested);
  try {
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new TransferError('aborted', 'transfer aborted');
      link.send(request, options.port ?? 69);
      const answer = await link.receive(backoffMs(timing, attempt), options.signal).catch(() => {
        throw new TransferError('aborted', 'transfer aborted');
      });
      if (answer)
        return {
          link,
          block: { ...timing, blksize: DEFAULT_BLKSIZE, windowsize: 1 },
          first: answer,
          requested,
        };
      if (attempt >= timing.retries) {
        throw new TftpClientError(
          'timeout',
          `TFTP ${op} ${options.filename}: no answer from ${address} after ${attempt + 1} tries`,
        );
      }
    }
  } catch (error) {
    link.close();
    throw clientError(error, options.filename);
  }
}

/** Applies an OACK (or refuses it with ERROR 8); returns the block settings for the data phase. */
function negotiated(session: Session): BlockOptions {
  const { first, link, requested } = session;
  if (first.op === 'ERROR') {
    throw new TftpClientError('remote-error', `TFTP server refused: ERROR ${first.code}: ${first.message}`, {
      code: first.code,
      remoteMessage: first.message,
    });
  }
  if (first.op !== 'OACK') return session.block;
  try {
    return { ...session.block, ...acceptOack(requested, first.options) };
  } catch (error) {
    const message = error instanceof OptionRefused ? error.message : String(error);
    link.send(encodeError(TFTP_ERROR.OPTION_REFUSED, message));
    throw new TftpClientError('protocol-error', `TFTP server's OACK refused: ${message}`);
  }
}

/** Uploads `data` as `filename` (a device's `copy running-config tftp:`). */
export async function tftpPut(options: TftpPutOptions): Promise<{ bytes: number; ms: number }> {
  const started = Date.now();
  const wire = options.mode === 'netascii' ? encodeNetascii(options.data) : options.data;
  const session = await open('WRQ', options, wire.length);
  try {
    const block = negotiated(session);
    const first = session.first;
    if (first.op !== 'OACK' && !(first.op === 'ACK' && first.block === 0)) {
      session.link.send(encodeError(TFTP_ERROR.ILLEGAL_OPERATION, `expected ACK 0, got ${first.op}`));
      throw new TftpClientError('protocol-error', `TFTP server answered WRQ with ${first.op}, not ACK 0`);
    }
    await sendBlocks(session.link, wire, { ...block, onBlock: options.onBlock });
    return { bytes: options.data.length, ms: Date.now() - started };
  } catch (error) {
    throw clientError(error, options.filename);
  } finally {
    session.link.close();
  }
}

/** Downloads `filename` (a device's `copy tftp: running-config`). */
export async function tftpGet(options: TftpClientOptions): Promise<Buffer> {
  // An RRQ asks for the size (tsize 0) only when it negotiates options anyway.
  const session = await open('RRQ', options, 0);
  let lingering = false;
  try {
    const block = negotiated(session);
    const { first, link } = session;
    const afterOack = first.op === 'OACK';
    if (!afterOack) {
      if (first.op !== 'DATA') {
        link.send(encodeError(TFTP_ERROR.ILLEGAL_OPERATION, `expected DATA 1, got ${first.op}`));
        throw new TftpClientError('protocol-error', `TFTP server answered RRQ with ${first.op}, not DATA 1`);
      }
      link.unshift(first);
    }
    const received = await receiveBlocks(link, {
      ...block,
      mode: options.mode ?? 'octet',
      first: afterOack ? encodeAck(0) : undefined,
    });
    lingering = true;
    void received.linger.finally(() => link.close());
    return received.data;
  } catch (error) {
    throw clientError(error, options.filename);
  } finally {
    if (!lingering) session.link.close();
  }
}
