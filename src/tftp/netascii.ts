/**
 * Netascii (RFC 1350 via the Telnet NVT rules of RFC 764/854): on the wire a newline is CR LF and a
 * bare CR is CR NUL. Local files use LF. Decoding is streaming so that a CR ending one DATA block and
 * the LF or NUL starting the next are still read as one pair.
 */

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** Local bytes -> wire bytes: LF -> CR LF, CR -> CR NUL. */
export function encodeNetascii(local: Buffer): Buffer {
  let extra = 0;
  for (const byte of local) if (byte === LF || byte === CR) extra++;
  if (extra === 0) return local;
  const out = Buffer.allocUnsafe(local.length + extra);
  let o = 0;
  for (const byte of local) {
    if (byte === LF) {
      out[o++] = CR;
      out[o++] = LF;
    } else if (byte === CR) {
      out[o++] = CR;
      out[o++] = NUL;
    } else {
      out[o++] = byte;
    }
  }
  return out;
}

export interface NetasciiDecoder {
  /** Decodes one chunk; a trailing CR is held back until the next chunk shows what follows it. */
  push(wire: Buffer): Buffer;
  /** Flushes a CR that ended the stream (kept as a CR: the sender broke the rule, the byte is real). */
  end(): Buffer;
}

/** Wire bytes -> local bytes: CR LF -> LF, CR NUL -> CR; a CR before anything else is kept. */
export function createNetasciiDecoder(): NetasciiDecoder {
  let pendingCr = false;
  return {
    push(wire) {
      const out = Buffer.allocUnsafe(wire.length + 1);
      let o = 0;
      for (const byte of wire) {
        if (pendingCr) {
          pendingCr = false;
          if (byte === LF) {
            out[o++] = LF;
            continue;
          }
          out[o++] = CR;
          if (byte === NUL) continue;
        }
        if (byte === CR) pendingCr = true;
        else out[o++] = byte;
      }
      return out.subarray(0, o);
    },
    end() {
      if (!pendingCr) return Buffer.alloc(0);
      pendingCr = false;
      return Buffer.from([CR]);
    },
  };
}

export function decodeNetascii(wire: Buffer): Buffer {
  const decoder = createNetasciiDecoder();
  return Buffer.concat([decoder.push(wire), decoder.end()]);
}
