/** A bare UDP endpoint for protocol tests: sends hand-made packets and reads the replies with their source port. */
import { createSocket, type Socket } from 'node:dgram';
import { decodePacket, type Packet } from '../../src/tftp/packet.js';

export interface Reply {
  readonly packet: Packet;
  readonly port: number;
}

export class RawPeer {
  readonly #socket: Socket;
  readonly #replies: Reply[] = [];
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (message, from) => {
      this.#replies.push({ packet: decodePacket(message), port: from.port });
      this.#wake?.();
    });
  }

  static async open(address: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<RawPeer> {
    const socket = createSocket(address === '::1' ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    return new RawPeer(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  send(packet: Buffer, port: number, address = '127.0.0.1'): void {
    this.#socket.send(packet, port, address);
  }

  /**
   * The next reply, or undefined after `ms`. The default is for replies that must come: generous,
   * because a loaded machine may take a while to answer; a test expecting silence passes its own `ms`.
   */
  async next(ms = 5000): Promise<Reply | undefined> {
    const end = Date.now() + ms;
    while (this.#replies.length === 0 && Date.now() < end) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, end - Date.now());
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.#replies.shift();
  }

  /**
   * A burst that must come: the next reply (waited for as `next` does) and every one that follows it
   * within `ms`. A packet sent in one go with the first is already queued, whatever the load.
   */
  async burst(ms: number): Promise<Reply[]> {
    const first = await this.next();
    return first ? [first, ...(await this.drain(ms))] : [];
  }

  /** Everything that arrives within `ms` (for asserting silence, or replies that may or may not come). */
  async drain(ms: number): Promise<Reply[]> {
    const out: Reply[] = [];
    for (let reply = await this.next(ms); reply; reply = await this.next(ms)) out.push(reply);
    return out;
  }

  close(): void {
    this.#socket.close();
  }
}
