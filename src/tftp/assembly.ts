/**
 * The bytes of a file being received. Each datagram already arrives in a buffer of its own, exactly
 * its size, so the DATA payloads are kept as they are and joined once, into a buffer of the file's
 * exact size, when the last block is in: each byte copied once, fresh memory once the file's size.
 * Growing one buffer (doubling from a guess or from tsize) copied up to twice the file into fresh
 * pages, and page faults are dear on a busy VM; a sender's tsize, true or false, now reserves nothing.
 */
export class Assembly {
  readonly #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Keeps `chunk` itself, not a copy: its memory must not be written again. */
  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  data(): Buffer {
    return this.#chunks.length === 1
      ? (this.#chunks[0] as Buffer)
      : Buffer.concat(this.#chunks, this.#length);
  }
}
