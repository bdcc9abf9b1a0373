/**
 * `randomFillSync` served from a pool of CSPRNG bytes: one call to Node's `randomFillSync` fills the
 * pool, later small requests take the next unused bytes of it. Each byte is handed out once, then
 * zeroed in the pool; what a refill finds left over (fewer bytes than a request) is overwritten unused.
 *
 * Why: ssh2 fills each outgoing packet's padding (4-19 bytes) with a call of its own, some 17 per
 * session; in Node 20 each call builds a crypto job (5-20 us), where taking 12 bytes from a pool costs
 * about 0.05 us and a refill of 16 KiB 15-80 us, once per some 70 sessions.
 */
import { randomFillSync } from 'node:crypto';

type RandomFill = typeof randomFillSync;

/** Larger requests go to Node's function directly: a pool pays off only for many small ones. */
const largestDraw = 256;

export class RandomPool {
  readonly #bytes: Buffer;
  /** Index of the first unused byte; the pool's size when none is left. */
  #next: number;
  readonly #source: RandomFill;
  /** The largest request served from the pool. */
  readonly #largest: number;

  /** @param source Node's `randomFillSync` (a test passes one that also records what it gave). */
  constructor(size = 16_384, source: RandomFill = randomFillSync) {
    this.#bytes = Buffer.alloc(size);
    this.#next = size;
    this.#source = source;
    this.#largest = Math.min(largestDraw, size);
  }

  /**
   * Node's `randomFillSync(buffer, offset, size)`, same result. Anything but a byte array with a
   * small range inside it (other views, defaults, bad arguments) goes to Node's own function, so
   * its defaults and its errors are Node's.
   */
  readonly randomFillSync = ((...args: Parameters<RandomFill>) => {
    const [buffer, offset, size] = args;
    if (
      !(buffer instanceof Uint8Array) ||
      !Number.isInteger(offset) ||
      !Number.isInteger(size) ||
      (offset as number) < 0 ||
      (size as number) < 0 ||
      (size as number) > this.#largest ||
      (offset as number) + (size as number) > buffer.length
    )
      return this.#source(...args);
    this.#draw(buffer, offset as number, size as number);
    return buffer;
  }) as RandomFill;

  #draw(target: Uint8Array, offset: number, size: number): void {
    const bytes = this.#bytes;
    if (bytes.length - this.#next < size) {
      this.#source(bytes);
      this.#next = 0;
    }
    // A loop, not `copy` + `fill`: for a few bytes it costs less than the views those build.
    const start = this.#next;
    for (let i = 0; i < size; i++) {
      target[offset + i] = bytes[start + i]!;
      bytes[start + i] = 0;
    }
    this.#next = start + size;
  }
}
