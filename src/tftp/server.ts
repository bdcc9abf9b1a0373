/**
 * The TFTP server netops hosts. It listens on any set of endpoints (`::` dual-stack, IPv4-only,
 * IPv6-only, link-local with a zone) and serves each transfer from a new socket (TID) bound to the
 * listener's address. In job mode it accepts only what it was told to expect (`expectUpload`,
 * `publishDownload`); with a `root` it is also a classic tftpd for files under that folder.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { formatHostPort, parseAddress } from '../net/address.js';
import { cidrContains, parseCidr, type Cidr } from '../net/cidr.js';
import { unmapAddress } from '../net/embedded.js';
import type { KnownHost } from './diagnose.js';
import { Expectations, type ExpectUploadOptions, type PublishDownloadOptions } from './expectations.js';
import type { FileHandle } from 'node:fs/promises';
import { FileBlocks } from './blocks.js';
import { checkWritable, FileRefused, openServedFile, readServedFile, realPathUnderRoot } from './files.js';
import { PeerLink } from './link.js';
import { bindListener, bindSocket } from './sockets.js';
import type { TftpLogEvent } from './log.js';
import { encodeNetascii } from './netascii.js';
import { negotiateOptions, OptionRefused } from './options.js';
import { decodePacket, encodeAck, encodeError, encodeOack, TFTP_ERROR, type Packet } from './packet.js';
import { receiveBlocks, receiveInto, sendBlocks } from './transfer.js';
import { UploadFile } from './upload-file.js';
import { transferFailed } from './failures.js';

export interface TftpServerOptions {
  /** Endpoints to listen on; port 0 picks a free port (read it back with `addresses()`). */
  readonly listen: ReadonlyArray<{ readonly address: string; readonly port: number }>;
  /** Standalone mode: serve and receive files under this folder. */
  readonly root?: string;
  /** Transfers at once; requests beyond it are dropped (the client retransmits). @default 1024 */
  readonly maxTransfers?: number;
  /** Largest file in either direction (transfers are held in memory). @default 64 MiB */
  readonly maxFileBytes?: number;
  /** Address prefixes allowed to use the server. @default everyone */
  readonly allow?: readonly string[];
  /** Standalone uploads may replace existing files. @default false */
  readonly overwrite?: boolean;
  readonly log?: (event: TftpLogEvent) => void;
  /** Inventory hosts and their addresses, to explain unexpected sources by name. */
  readonly knownHosts?: readonly KnownHost[];
  /** First retransmission time-out when the client sends no `timeout` option. @default 1000 */
  readonly timeoutMs?: number;
  /** @default 5 */
  readonly retries?: number;
  /** Largest windowsize granted (RFC 7440). @default 64 */
  readonly maxWindowsize?: number;
}

interface Listener {
  readonly socket: Socket;
  readonly address: string;
  readonly port: number;
  /** address:port as logs show it, formatted once. */
  readonly local: string;
  /** Transfer sockets bind here: the listener's own address, so replies leave from where requests arrived. */
  readonly transferAddress: string;
  readonly type: 'udp4' | 'udp6';
}

interface Request {
  readonly listener: Listener;
  readonly packet: Extract<Packet, { op: 'RRQ' | 'WRQ' }>;
  readonly remote: RemoteInfo;
  /**
   * The transfer's link once it has one: the server's close aborts it (a call, not an AbortSignal per
   * transfer, whose controller, event target and listener were a good part of a transfer's set-up).
   */
  link?: PeerLink;
  /**
   * Its data phase is over (the final ACK sent): it only lingers to re-ACK a retransmitted last
   * block, so a different request from the same address and port is a new transfer.
   */
  lingering?: boolean;
  /** The event fields every log line of this transfer shares. */
  readonly base: {
    readonly peer: string;
    readonly port: number;
    readonly op: 'RRQ' | 'WRQ';
    readonly mode: string;
    readonly file: string;
    readonly local: string;
  };
}

export class TftpServer {
  readonly #options: TftpServerOptions;
  readonly #allow: readonly Cidr[] | undefined;
  readonly #listeners: Listener[] = [];
  /** Every transfer under way (lingering ones included): counted against maxTransfers, ended by close(). */
  readonly #transfers = new Set<Transfer>();
  /** The latest transfer of each client (`address|port`): a repeated request from it is a retransmission. */
  readonly #active = new Map<string, Transfer>();
  readonly #expectations: Expectations;
  #closing = false;
  #knownHosts: readonly KnownHost[];

  private constructor(options: TftpServerOptions) {
    this.#options = options;
    this.#allow = options.allow?.map(parseCidr);
    this.#knownHosts = options.knownHosts ?? [];
    this.#expectations = new Expectations(() => this.#knownHosts);
  }

  static async start(options: TftpServerOptions): Promise<TftpServer> {
    const server = new TftpServer(options);
    try {
      for (const endpoint of options.listen) await server.#listen(endpoint.address, endpoint.port);
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  async #listen(address: string, port: number): Promise<void> {
    const type = parseAddress(address)?.family === 6 ? 'udp6' : 'udp4';
    const socket = await bindListener(type, address, port);
    const bound = socket.address();
    const listener: Listener = {
      socket,
      address: bound.address,
      port: bound.port,
      local: formatHostPort(bound.address, bound.port),
      transferAddress: address,
      type,
    };
    this.#listeners.push(listener);
    socket.on('message', (message, remote) => this.#onRequest(listener, message, remote));
    socket.on('error', () => undefined);
    this.#log({ event: 'listening', local: listener.local });
  }

  /** The endpoints actually bound (ports chosen by the system when 0 was asked for). */
  addresses(): Array<{ address: string; port: number }> {
    return this.#listeners.map((l) => ({ address: l.address, port: l.port }));
  }

  /** The inventory's hosts and addresses, used to explain uploads from unexpected sources. */
  setKnownHosts(hosts: readonly KnownHost[]): void {
    this.#knownHosts = hosts;
  }

  /** Resolves with the uploaded bytes, or rejects with TFTP_NO_UPLOAD / TFTP_UNEXPECTED_SOURCE / TFTP_TRANSFER_FAILED. */
  expectUpload(options: ExpectUploadOptions): Promise<Buffer> {
    return this.#expectations.expectUpload(options);
  }

  /** Serves `data` as `filename` to the given addresses until the returned function is called. */
  publishDownload(options: PublishDownloadOptions): () => void {
    return this.#expectations.publishDownload(options);
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const transfer of this.#transfers) transfer.request.link?.abort();
    this.#expectations.cancelAll();
    await Promise.allSettled([...this.#transfers].map((transfer) => transfer.done));
    await Promise.all(
      this.#listeners.map((l) => new Promise<void>((resolve) => l.socket.close(() => resolve()))),
    );
    for (const l of this.#listeners) this.#log({ event: 'closed', local: l.local });
    this.#listeners.length = 0;
  }

  #log(event: Omit<TftpLogEvent, 'time'>): void {
    this.#options.log?.({ time: new Date().toISOString(), ...event });
  }

  // Every transfer starts and ends: their events are built only when someone logs (a job's server does not).
  #logStarted(base: Request['base'], oack: ReadonlyMap<string, string> | undefined, host?: string): void {
    if (!this.#options.log) return;
    this.#log({
      ...base,
      event: 'started',
      ...(oack ? { options: Object.fromEntries(oack) } : {}),
      ...(host ? { host } : {}),
    });
  }

  #logSuccess(base: Request['base'], bytes: number): void {
    if (this.#options.log) this.#log({ ...base, event: 'success', bytes });
  }

  #onRequest(listener: Listener, message: Buffer, remote: RemoteInfo): void {
    if (this.#closing) return;
    const peer = unmapAddress(remote.address);
    const reply = (code: number, text: string) =>
      listener.socket.send(encodeError(code, text), remote.port, remote.address);
    let packet: Packet;
    try {
      packet = decodePacket(message);
    } catch (error) {
      // Never answer an ERROR, even a malformed one: two peers could bounce errors forever.
      if (message.length >= 2 && message.readUInt16BE(0) === 5) return;
      const reason = error instanceof Error ? error.message : String(error);
      reply(TFTP_ERROR.ILLEGAL_OPERATION, reason);
      this.#log({
        event: 'refused',
        peer,
        port: remote.port,
        reason,
        error: { code: TFTP_ERROR.ILLEGAL_OPERATION, message: reason },
      });
      return;
    }
    if (packet.op === 'ERROR') return;
    if (packet.op !== 'RRQ' && packet.op !== 'WRQ') {
      reply(TFTP_ERROR.UNKNOWN_TID, 'Unknown transfer ID');
      return;
    }
    const key = `${peer}|${remote.port}`;
    const current = this.#active.get(key);
    // The transfer's own retransmissions answer it. Once it only lingers, another request from its
    // address and port is a new client that was given the port again (devices behind one NAT address,
    // the lab's on 127.0.0.1): ignored, it waited out the linger (3 s by default) on retransmissions.
    if (current && !(current.request.lingering && !sameRequest(current.request.packet, packet))) return;
    const base = {
      peer,
      port: remote.port,
      op: packet.op,
      mode: packet.mode,
      file: packet.filename,
      local: listener.local,
    };
    if (this.#allow && !this.#allow.some((cidr) => cidrContains(cidr, peer))) {
      reply(TFTP_ERROR.ACCESS_VIOLATION, 'Access violation');
      this.#log({
        ...base,
        event: 'refused',
        reason: `${peer} is not in the allow list`,
        error: { code: 2, message: 'Access violation' },
      });
      return;
    }
    if (this.#transfers.size >= (this.#options.maxTransfers ?? 1024)) {
      this.#log({
        ...base,
        event: 'busy',
        reason: `${this.#transfers.size} transfers under way; request dropped, the client will retransmit`,
      });
      return;
    }
    const request: Request = { listener, packet, remote, base };
    const transfer: Transfer = {
      request,
      done: (packet.op === 'WRQ' ? this.#upload(request) : this.#download(request))
        .catch((error: unknown) => this.#refuse(request, error))
        .finally(() => {
          this.#transfers.delete(transfer);
          if (this.#active.get(key) === transfer) this.#active.delete(key);
        }),
    };
    this.#transfers.add(transfer);
    this.#active.set(key, transfer);
  }

  /** Answers a request that will not be served, from the listening socket, and logs why. */
  #refuse(request: Request, error: unknown): void {
    const { code, message, reason } =
      error instanceof FileRefused || error instanceof Refusal
        ? {
            code: error.code,
            message: error.message,
            reason: error instanceof Refusal ? error.reason : error.message,
          }
        : error instanceof OptionRefused
          ? { code: TFTP_ERROR.OPTION_REFUSED, message: error.message, reason: error.message }
          : { code: TFTP_ERROR.NOT_DEFINED, message: 'Internal error', reason: String(error) };
    request.listener.socket.send(encodeError(code, message), request.remote.port, request.remote.address);
    this.#log({ ...request.base, event: 'refused', reason, error: { code, message } });
  }

  async #openLink(request: Request): Promise<PeerLink> {
    const { listener, remote } = request;
    const socket = await bindSocket(listener.type, listener.transferAddress, 0);
    const link = new PeerLink(socket, { address: remote.address, port: remote.port }, request.base.peer);
    request.link = link;
    if (this.#closing) link.abort(); // the server began closing while the socket was bound
    return link;
  }

  #negotiate(request: Request, fileSize?: number) {
    const negotiated = negotiateOptions(
      request.packet.options,
      { maxWindowsize: this.#options.maxWindowsize ?? 64 },
      fileSize,
    );
    const timing = {
      timeoutMs: negotiated.timeoutMs ?? this.#options.timeoutMs ?? 1000,
      retries: this.#options.retries ?? 5,
    };
    return { negotiated, timing };
  }

  async #upload(request: Request): Promise<void> {
    const { packet, base } = request;
    const maxBytes = this.#options.maxFileBytes ?? 64 * 2 ** 20;
    const route = this.#expectations.routeUpload(packet.filename, base.peer, base.port);
    if (route.kind === 'refuse')
      throw new Refusal(TFTP_ERROR.ACCESS_VIOLATION, 'Access violation', route.reason);
    const target = route.kind === 'unclaimed' ? await this.#uploadTarget(packet.filename) : undefined;
    const { negotiated, timing } = this.#negotiate(request);
    if (negotiated.tsize !== undefined && negotiated.tsize > maxBytes) {
      throw new Refusal(
        TFTP_ERROR.DISK_FULL,
        `File of ${negotiated.tsize} bytes exceeds the limit of ${maxBytes} bytes`,
        `tsize ${negotiated.tsize} is over the limit of ${maxBytes} bytes`,
      );
    }
    const expectation = route.kind === 'accept' ? route.expectation : undefined;
    if (expectation) expectation.inProgress = true;
    if (negotiated.tsize !== undefined) expectation?.onAnnouncedSize?.(negotiated.tsize);
    const link = await this.#openLink(request).catch((error: unknown) => {
      // A transfer that could not start must not leave its expectation waiting forever.
      expectation?.settle({
        error: transferFailed(packet.filename, { ...base, host: expectation.host }, error),
      });
      throw error;
    });
    const file =
      target === undefined
        ? undefined
        : await UploadFile.create(target, this.#options.overwrite ?? false).catch((error: unknown) => {
            link.close();
            throw error;
          });
    this.#logStarted(base, negotiated.oack, expectation?.host);
    // Written out rather than spread from `timing`: a spread gives each transfer's object a map of its own.
    const receive = {
      timeoutMs: timing.timeoutMs,
      retries: timing.retries,
      blksize: negotiated.blksize,
      windowsize: negotiated.windowsize,
      mode: packet.mode === 'netascii' ? ('netascii' as const) : ('octet' as const),
      maxBytes,
      expectedBytes: negotiated.tsize,
      first: negotiated.oack ? encodeOack(negotiated.oack) : encodeAck(0),
    };
    try {
      if (file) {
        // Standalone: written to disk as it arrives, committed (fsync) before the final ACK.
        const { linger } = await receiveInto(link, file, receive);
        this.#logSuccess(base, file.length);
        request.lingering = true;
        await linger;
      } else {
        const received = await receiveBlocks(link, receive);
        this.#logSuccess(base, received.data.length);
        expectation?.settle({ data: received.data });
        request.lingering = true;
        await received.linger;
      }
    } catch (error) {
      const failure = transferFailed(packet.filename, { ...base, host: expectation?.host }, error);
      this.#log({ ...base, event: 'failed', reason: failure.message });
      expectation?.settle({ error: failure });
    } finally {
      link.close();
    }
  }

  /** Where a standalone upload lands under the root, refused before any data if it could not. */
  async #uploadTarget(filename: string): Promise<string> {
    const root = this.#options.root;
    if (root === undefined) {
      throw new Refusal(
        TFTP_ERROR.ACCESS_VIOLATION,
        'Access violation',
        `no upload of ${filename} is expected`,
      );
    }
    const path = await realPathUnderRoot(root, filename);
    await checkWritable(path, this.#options.overwrite ?? false);
    return path;
  }

  /**
   * What a download sends: published bytes, a netascii file converted whole, or an octet file from the
   * root read in chunks as the transfer goes (`file`, closed by the caller).
   */
  async #served(
    request: Request,
  ): Promise<{ wire?: Buffer; bytes: number; file?: { handle: FileHandle; size: number } }> {
    const { packet, base } = request;
    const route = this.#expectations.routeDownload(packet.filename, base.peer);
    if (route.kind === 'refuse')
      throw new Refusal(TFTP_ERROR.ACCESS_VIOLATION, 'Access violation', route.reason);
    const netascii = packet.mode === 'netascii';
    if (route.kind === 'serve') {
      return { wire: netascii ? encodeNetascii(route.data) : route.data, bytes: route.data.length };
    }
    if (this.#options.root === undefined) {
      throw new Refusal(
        TFTP_ERROR.ACCESS_VIOLATION,
        'Access violation',
        `${packet.filename} is not published`,
      );
    }
    const path = await realPathUnderRoot(this.#options.root, packet.filename);
    const maxBytes = this.#options.maxFileBytes ?? 64 * 2 ** 20;
    if (netascii) {
      const data = await readServedFile(path, maxBytes);
      return { wire: encodeNetascii(data), bytes: data.length };
    }
    const file = await openServedFile(path, maxBytes);
    return { bytes: file.size, file };
  }

  async #download(request: Request): Promise<void> {
    const { packet, base } = request;
    const { wire, bytes, file } = await this.#served(request);
    try {
      const { negotiated, timing } = this.#negotiate(request, wire?.length ?? bytes);
      const link = await this.#openLink(request);
      this.#logStarted(base, negotiated.oack);
      const { blksize, windowsize } = negotiated;
      const blocks = file && new FileBlocks(file.handle, bytes, blksize, windowsize);
      try {
        await sendBlocks(link, wire ?? (blocks as FileBlocks), {
          timeoutMs: timing.timeoutMs,
          retries: timing.retries,
          blksize,
          windowsize,
          first: negotiated.oack ? encodeOack(negotiated.oack) : undefined,
        });
        this.#logSuccess(base, bytes);
      } catch (error) {
        this.#log({ ...base, event: 'failed', reason: transferFailed(packet.filename, base, error).message });
      } finally {
        link.close();
        await blocks?.release();
      }
    } finally {
      await file?.handle.close();
    }
  }
}

interface Transfer {
  readonly request: Request;
  /** Settles when the transfer has ended (its linger too) and its socket is closed. */
  readonly done: Promise<void>;
}

/** The same request again (a retransmission, or a late duplicate of it): same operation, file and mode. */
function sameRequest(a: Request['packet'], b: Request['packet']): boolean {
  return a.op === b.op && a.filename === b.filename && a.mode === b.mode;
}

/** A request refused by policy: `message` goes to the client, `reason` (with the diagnosis) to the log. */
class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}
