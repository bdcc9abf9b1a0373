/**
 * The bytes of a file being received, appended block by block into one buffer that doubles when
 * full: no copy kept per block and no concatenation at the end. A size announced by the sender
 * (tsize) sizes the buffer, up to a cap, so that a false announcement cannot reserve much memory.
 * Keeping the datagrams themselves and joining them once at the end was measured too: fewer copies,
 * but 92 KiB instead of 64 KiB held per 50 KB upload while it runs (objects and allocator overhead
 * for every 512-byte datagram), and a thousand uploads at once is the case that counts.
 */

/**
 * Largest first allocation, whatever the sender announced; past it the buffer grows as data arrives.
 * Pages of a large buffer are only reserved until written, so a false tsize costs little; growing
 * costs copies and fresh pages (page faults are dear on a busy VM), hence room for 10 MB at once.
 */
const MAX_INITIAL_BYTES = 16 * 2 ** 20;

export class Assembly {
  #buffer: Buffer;
  #length = 0;

  /** `expectedBytes`: the announced size, or a guess (a few windows) when nothing was announced. */
  constructor(expectedBytes: number) {
    this.#buffer = Buffer.allocUnsafe(Math.min(Math.max(expectedBytes, 1), MAX_INITIAL_BYTES));
  }

  get length(): number {
    return this.#length;
  }

  /** Appends `bytes` from `start` on. */
  append(bytes: Buffer, start: number): void {
    const needed = this.#length + bytes.length - start;
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#buffer.length * 2));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    // Buffer#copy, not TypedArray#set: on Node 20 set() from a Buffer is many times slower.
    bytes.copy(this.#buffer, this.#length, start);
    this.#length = needed;
  }

  /** Nothing to commit: the caller takes the bytes from memory (data()) after the final ACK. */
  complete(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to drop but the memory, which goes with the object. */
  discard(): Promise<void> {
    return Promise.resolve();
  }

  /** The file; copied out when the buffer is much larger than it, so the spare room is not kept alive. */
  data(): Buffer {
    const used = this.#buffer.subarray(0, this.#length);
    return this.#length >= this.#buffer.length * 0.75 ? used : Buffer.from(used);
  }
}
