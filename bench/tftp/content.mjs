// What the TFTP bench transfers: deterministic bytes, so the receiving side can check every one
// without being told them.
import { createHash } from 'node:crypto';

/** Content of upload i: `size` bytes derived from i. */
export function upload(i, size) {
  const out = Buffer.alloc(size);
  for (let at = 0, n = 0; at < size; at += 32, n++) {
    createHash('sha256').update(`${i}:${n}`).digest().copy(out, at);
  }
  return out;
}

/** DATA blocks of 512 bytes in an upload of `size` bytes (the last one short, maybe empty). */
export const blocksOf = (size) => Math.floor(size / 512) + 1;
