/**
 * Option negotiation (RFC 2347) for blksize (RFC 2348), timeout and tsize (RFC 2349) and windowsize
 * (RFC 7440). The server side answers a request; the client side checks the server's OACK. A value
 * that is not a number in its RFC range refuses the request with ERROR 8, as RFC 2347 allows; a
 * writer's tsize over the size limit is ERROR 3 (RFC 2349), decided by the server.
 */

export const DEFAULT_BLKSIZE = 512;
export const MAX_BLKSIZE = 65464;
const MIN_BLKSIZE = 8;

export interface NegotiatedOptions {
  readonly blksize: number;
  readonly windowsize: number;
  /** The peer's `timeout` option in ms, when it sent one. */
  readonly timeoutMs?: number;
  /** The transfer size: announced by the writer, or the file size we report for a read. */
  readonly tsize?: number;
  /** The OACK to send, or undefined when no option was accepted (reply with ACK 0 / DATA 1). */
  readonly oack: ReadonlyMap<string, string> | undefined;
}

export class OptionRefused extends Error {
  override readonly name = 'OptionRefused';
}

export interface OptionLimits {
  /** @default 65464 */
  readonly maxBlksize?: number;
  /** @default 64 */
  readonly maxWindowsize?: number;
}

/**
 * The value of a numeric option. Any run of digits is a number (a 13-digit tsize is a size, not
 * garbage); `range` is what the RFC allows and is what the refusal names.
 */
function integerIn(name: string, text: string, min: number, max: number, range = `${min}-${max}`): number {
  if (!/^\d+$/.test(text)) throw new OptionRefused(`${name} "${text}" is not a number (${range})`);
  const value = Number(text);
  if (value < min || value > max) throw new OptionRefused(`${name} ${text} is outside ${range}`);
  return value;
}

/** What the server accepts of a request's options; `fileSize` is known for a read. */
export function negotiateOptions(
  requested: ReadonlyMap<string, string>,
  limits: OptionLimits,
  fileSize?: number,
): NegotiatedOptions {
  const oack = new Map<string, string>();
  let blksize = DEFAULT_BLKSIZE;
  let windowsize = 1;
  let timeoutMs: number | undefined;
  let tsize: number | undefined;
  for (const [name, text] of requested) {
    switch (name) {
      case 'blksize':
        // RFC 2348 allows 8-65464; a larger request is answered with what we allow (RFC 2347 lets
        // the server lower it), below 8 is meaningless and refused.
        blksize = Math.min(
          integerIn(name, text, MIN_BLKSIZE, Infinity, `${MIN_BLKSIZE}-${MAX_BLKSIZE}`),
          limits.maxBlksize ?? MAX_BLKSIZE,
          MAX_BLKSIZE,
        );
        oack.set(name, String(blksize));
        break;
      case 'windowsize':
        windowsize = Math.min(integerIn(name, text, 1, 65535), limits.maxWindowsize ?? 64);
        oack.set(name, String(windowsize));
        break;
      case 'timeout':
        timeoutMs = integerIn(name, text, 1, 255) * 1000;
        oack.set(name, text.replace(/^0+/, ''));
        break;
      case 'tsize':
        // A reader asks with 0 and is told the size; a writer announces it, and a size over the
        // server's limit is refused by the caller with ERROR 3 (RFC 2349), however many digits it has.
        tsize = integerIn(name, text, 0, Infinity, 'a size in bytes');
        if (fileSize !== undefined) tsize = fileSize;
        oack.set(name, String(tsize));
        break;
      default:
      // Unknown options are left out of the OACK (RFC 2347).
    }
  }
  return {
    blksize,
    windowsize,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(tsize === undefined ? {} : { tsize }),
    oack: oack.size > 0 ? oack : undefined,
  };
}

/** What a client asks for: only options that differ from the RFC 1350 defaults. */
export function requestOptions(wanted: { blksize?: number; windowsize?: number; tsize?: number }) {
  const options = new Map<string, string>();
  if (wanted.blksize !== undefined && wanted.blksize !== DEFAULT_BLKSIZE)
    options.set('blksize', String(wanted.blksize));
  if (wanted.windowsize !== undefined && wanted.windowsize !== 1)
    options.set('windowsize', String(wanted.windowsize));
  if (wanted.tsize !== undefined && options.size > 0) options.set('tsize', String(wanted.tsize));
  return options;
}

/** Checks a server's OACK against what was asked (RFC 2347: it may only lower blksize/windowsize). */
export function acceptOack(
  requested: ReadonlyMap<string, string>,
  oack: ReadonlyMap<string, string>,
): { blksize: number; windowsize: number } {
  let blksize = DEFAULT_BLKSIZE;
  let windowsize = 1;
  for (const [name, text] of oack) {
    const asked = requested.get(name);
    if (asked === undefined)
      throw new OptionRefused(`server acknowledged option "${name}" that was not requested`);
    if (name === 'blksize') blksize = integerIn(name, text, MIN_BLKSIZE, Number(asked));
    else if (name === 'windowsize') windowsize = integerIn(name, text, 1, Number(asked));
  }
  return { blksize, windowsize };
}
