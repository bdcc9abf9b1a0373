/**
 * What a sender sends, block by block: a buffer in memory, or a file read in chunks as the transfer
 * reaches them. A file served from the root is not read whole before the first block: reading 10 MB
 * into fresh memory took longer than sending it (page faults and thread-pool round trips on a busy
 * machine), where atftpd reads each block as it goes.
 */
import type { FileHandle } from 'node:fs/promises';

export interface BlockSource {
  /** Bytes in all; the last block is the short (maybe empty) one after them. */
  readonly size: number;
  /** Makes blocks `first`..`last` readable; undefined when they already are. Called with `first` never decreasing. */
  load(first: number, last: number): Promise<void> | undefined;
  /** Block `n` (1-based) after load() covered it. */
  block(n: number): Buffer;
}

export function bufferBlocks(data: Buffer, blksize: number): BlockSource {
  return {
    size: data.length,
    load: () => undefined,
    block: (n) => data.subarray((n - 1) * blksize, n * blksize),
  };
}

/** Size of one chunk of the file in memory (whole blocks). */
const CHUNK_BYTES = 512 * 1024;
/** Chunks in memory per transfer: the two a window may span and the next one, read ahead. */
const BUFFERS = 3;
/**
 * Chunk buffers of finished downloads, kept for the next ones (6 MiB at most at the default size):
 * memory new to the process costs a page fault per 4 KiB on first touch, 30-80 us each on this VM,
 * which for three fresh 512 KiB buffers per 10 MB download was 10-25 % of its CPU.
 */
const spares: Buffer[] = [];
const SPARE_LIMIT = 12;

/** A spare of at least `bytes`, or a new buffer. */
function chunkBuffer(bytes: number): Buffer {
  const at = spares.findIndex((b) => b.length >= bytes);
  return at < 0 ? Buffer.allocUnsafe(bytes) : (spares.splice(at, 1)[0] as Buffer);
}

interface Chunk {
  /** Which chunk of the file the buffer holds. */
  index: number;
  readonly buffer: Buffer;
  filled: number;
  done: boolean;
  ready: Promise<void>;
}

/** A file's first `size` bytes, read a chunk at a time (the next one ahead) into three reused buffers. */
export class FileBlocks implements BlockSource {
  readonly size: number;
  readonly #handle: FileHandle;
  readonly #blksize: number;
  /** Blocks per chunk: at least two windows, so one window never spans more than two chunks. */
  readonly #perChunk: number;
  readonly #chunks: Chunk[] = [];

  constructor(handle: FileHandle, size: number, blksize: number, windowsize: number) {
    this.#handle = handle;
    this.size = size;
    this.#blksize = blksize;
    this.#perChunk = Math.max(Math.floor(CHUNK_BYTES / blksize), 2 * windowsize);
  }

  load(first: number, last: number): Promise<void> | undefined {
    const oldest = this.#chunkOf(first);
    const newest = this.#chunkOf(last);
    const waits: Promise<void>[] = [];
    for (let index = oldest; index <= newest; index++) {
      const chunk = this.#find(index) ?? (this.#start(index, oldest) as Chunk);
      if (!chunk.done) waits.push(chunk.ready);
    }
    // The next chunk is read while this window goes out, so the sender seldom waits for the disk.
    const next = newest + 1;
    if (next * this.#perChunk * this.#blksize < this.size && !this.#find(next)) this.#start(next, oldest);
    return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined);
  }

  /**
   * The transfer is over (its link closed, so no datagram still points into a chunk): the buffers go
   * to the spares once any read into them has ended. Call before closing the file.
   */
  release(): Promise<void> {
    const chunks = this.#chunks.splice(0);
    return Promise.all(
      chunks.map((chunk) =>
        chunk.ready.then(
          () => undefined,
          () => undefined,
        ),
      ),
    ).then(() => {
      for (const chunk of chunks) if (spares.length < SPARE_LIMIT) spares.push(chunk.buffer);
    });
  }

  block(n: number): Buffer {
    const chunk = this.#find(this.#chunkOf(n)) as Chunk;
    const at = ((n - 1) % this.#perChunk) * this.#blksize;
    return chunk.buffer.subarray(at, Math.min(at + this.#blksize, chunk.filled));
  }

  #chunkOf(block: number): number {
    return Math.floor((block - 1) / this.#perChunk);
  }

  #find(index: number): Chunk | undefined {
    return this.#chunks.find((c) => c.index === index);
  }

  /**
   * Starts reading chunk `index` into a new buffer, or into that of a chunk before `oldestNeeded`:
   * every block in it lies before the window, so it has been ACKed and no datagram still points into
   * it. Undefined when no buffer is free (only ever for a read ahead).
   */
  #start(index: number, oldestNeeded: number): Chunk | undefined {
    const bytes = this.#perChunk * this.#blksize;
    let chunk = this.#chunks.find((c) => c.done && c.index < oldestNeeded);
    if (!chunk) {
      if (this.#chunks.length >= BUFFERS) return undefined;
      chunk = { index, buffer: chunkBuffer(bytes), filled: 0, done: false, ready: Promise.resolve() };
      this.#chunks.push(chunk);
    }
    chunk.index = index;
    chunk.done = false;
    chunk.ready = this.#fill(chunk, index * bytes, Math.max(0, Math.min(bytes, this.size - index * bytes)));
    // A read ahead nobody waits for must not fail unhandled; a wait still sees the error.
    chunk.ready.catch(() => undefined);
    return chunk;
  }

  async #fill(chunk: Chunk, start: number, length: number): Promise<void> {
    chunk.filled = 0;
    while (chunk.filled < length) {
      const at = chunk.filled;
      const { bytesRead } = await this.#handle.read(chunk.buffer, at, length - at, start + at);
      if (bytesRead === 0) break; // the file shrank: the transfer ends short
      chunk.filled += bytesRead;
    }
    chunk.done = true;
  }
}
