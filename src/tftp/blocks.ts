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

/** About this much of the file is in memory per transfer (two chunks of whole blocks). */
const CHUNK_BYTES = 512 * 1024;

interface Chunk {
  /** Which chunk of the file the buffer holds; -1 while it is being read. */
  index: number;
  readonly buffer: Buffer;
  filled: number;
}

/** A file's first `size` bytes, read a chunk at a time into two buffers that are reused. */
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
    const wanted = [this.#chunkOf(first), this.#chunkOf(last)].filter(
      (index, i, all) => all.indexOf(index) === i && !this.#chunks.some((c) => c.index === index),
    );
    if (wanted.length === 0) return undefined;
    return (async () => {
      for (const index of wanted) await this.#read(index, this.#chunkOf(first));
    })();
  }

  block(n: number): Buffer {
    const chunk = this.#chunks.find((c) => c.index === this.#chunkOf(n)) as Chunk;
    const at = ((n - 1) % this.#perChunk) * this.#blksize;
    return chunk.buffer.subarray(at, Math.min(at + this.#blksize, chunk.filled));
  }

  #chunkOf(block: number): number {
    return Math.floor((block - 1) / this.#perChunk);
  }

  /**
   * Reads chunk `index` into a free buffer, or into the one of a chunk before `oldestNeeded`: every
   * block in it lies before the window, so it has been ACKed and no datagram still points into it.
   */
  async #read(index: number, oldestNeeded: number): Promise<void> {
    const bytes = this.#perChunk * this.#blksize;
    const reused = this.#chunks.length < 2 ? undefined : this.#chunks.find((c) => c.index < oldestNeeded);
    const chunk = reused ?? { index, buffer: Buffer.allocUnsafe(bytes), filled: 0 };
    if (!reused) this.#chunks.push(chunk);
    chunk.index = -1;
    chunk.filled = 0;
    const start = index * bytes;
    const length = Math.max(0, Math.min(bytes, this.size - start));
    while (chunk.filled < length) {
      const at = chunk.filled;
      const { bytesRead } = await this.#handle.read(chunk.buffer, at, length - at, start + at);
      if (bytesRead === 0) break; // the file shrank: the transfer ends short
      chunk.filled += bytesRead;
    }
    chunk.index = index;
  }
}
