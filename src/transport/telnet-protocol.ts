/**
 * The Telnet protocol as a byte filter (RFC 854 commands, RFC 855 option negotiation, RFC 1091
 * TTYPE, RFC 1073 NAWS). It is a state machine over bytes, so a command split across TCP segments
 * or arriving in the middle of a chunk is handled the same as one at its start (the defect that
 * ruled out telnet-client, see docs/transports.md).
 */

export const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
export const BRK = 243;
const SE = 240;
const OPT_ECHO = 1;
const OPT_SGA = 3;
const OPT_TTYPE = 24;
const OPT_NAWS = 31;
const TTYPE_SEND = 1;
const TTYPE_IS = 0;

export interface TelnetTerminal {
  /** @default 'VT100' */
  readonly type?: string;
  /** @default 511 */
  readonly cols?: number;
  /** @default 24 */
  readonly rows?: number;
}

type State = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

/** Splits received bytes into data and negotiation; `reply` gets the answers to send back. */
export class TelnetParser {
  #state: State = 'data';
  #verb = 0;
  #sub: number[] = [];
  /** Options whose state we already announced, so a repeated request gets no repeated answer (RFC 854 loop rule). */
  readonly #ours = new Map<number, boolean>();
  readonly #theirs = new Map<number, boolean>();
  readonly #terminal: Required<TelnetTerminal>;
  readonly #reply: (bytes: Buffer) => void;

  constructor(reply: (bytes: Buffer) => void, terminal: TelnetTerminal = {}) {
    this.#reply = reply;
    this.#terminal = {
      type: terminal.type ?? 'VT100',
      cols: terminal.cols ?? 511,
      rows: terminal.rows ?? 24,
    };
  }

  /** Returns the data bytes of `chunk`; negotiation is answered on the way. */
  push(chunk: Buffer): Buffer {
    if (this.#state === 'data' && !chunk.includes(IAC)) return chunk;
    const data: number[] = [];
    for (const byte of chunk) {
      switch (this.#state) {
        case 'data':
          if (byte === IAC) this.#state = 'iac';
          else data.push(byte);
          break;
        case 'iac':
          if (byte === IAC) {
            data.push(IAC);
            this.#state = 'data';
          } else if (byte >= WILL && byte <= DONT) {
            this.#verb = byte;
            this.#state = 'option';
          } else if (byte === SB) {
            this.#sub = [];
            this.#state = 'sb';
          } else this.#state = 'data'; // NOP, GA, DM, AYT...: nothing to do for a client
          break;
        case 'option':
          this.#negotiate(this.#verb, byte);
          this.#state = 'data';
          break;
        case 'sb':
          if (byte === IAC) this.#state = 'sb-iac';
          else this.#sub.push(byte);
          break;
        case 'sb-iac':
          if (byte === SE) {
            this.#subnegotiation(this.#sub);
            this.#state = 'data';
          } else {
            if (byte === IAC) this.#sub.push(IAC);
            this.#state = 'sb';
          }
          break;
      }
    }
    return Buffer.from(data);
  }

  #negotiate(verb: number, option: number): void {
    if (verb === DO || verb === DONT) {
      // What we are willing to do ourselves: send our terminal type and window size.
      const want = verb === DO && (option === OPT_TTYPE || option === OPT_NAWS || option === OPT_SGA);
      if (this.#ours.get(option) === want) return;
      this.#ours.set(option, want);
      this.#send([IAC, want ? WILL : WONT, option]);
      if (want && option === OPT_NAWS) this.#sendWindowSize();
    } else {
      // What we let the server do: echo and suppress go-ahead, as every router CLI does.
      const accept = verb === WILL && (option === OPT_ECHO || option === OPT_SGA);
      if (this.#theirs.get(option) === accept) return;
      this.#theirs.set(option, accept);
      this.#send([IAC, accept ? DO : DONT, option]);
    }
  }

  #subnegotiation(sub: number[]): void {
    if (sub[0] === OPT_TTYPE && sub[1] === TTYPE_SEND) {
      this.#send([IAC, SB, OPT_TTYPE, TTYPE_IS, ...Buffer.from(this.#terminal.type, 'ascii'), IAC, SE]);
    }
  }

  #sendWindowSize(): void {
    const { cols, rows } = this.#terminal;
    const size = [cols >> 8, cols & 0xff, rows >> 8, rows & 0xff].flatMap((b) =>
      b === IAC ? [IAC, IAC] : [b],
    );
    this.#send([IAC, SB, OPT_NAWS, ...size, IAC, SE]);
  }

  #send(bytes: number[]): void {
    this.#reply(Buffer.from(bytes));
  }
}

/** Data to send: a literal 0xFF byte is doubled so it is not read as IAC. */
export function escapeIac(data: Buffer): Buffer {
  if (!data.includes(IAC)) return data;
  const out: number[] = [];
  for (const byte of data) out.push(...(byte === IAC ? [IAC, IAC] : [byte]));
  return Buffer.from(out);
}
