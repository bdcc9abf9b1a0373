/**
 * Server side of telnet option negotiation (RFC 854/855/857/858/1073): the device offers WILL ECHO and
 * WILL SGA and asks DO TTYPE / DO NAWS, as IOS does; it refuses anything else once, answers nothing
 * it already agreed to (no loops), strips IAC sequences from input and doubles 0xFF on output.
 */
const IAC = 255;
const [WILL, WONT, DO, DONT, SB, SE] = [251, 252, 253, 254, 250, 240];
const ECHO = 1;
const SGA = 3;
const TTYPE = 24;
const NAWS = 31;

export const telnetGreeting = Buffer.from([IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, TTYPE, IAC, DO, NAWS]);

export interface TelnetState {
  mode: 'data' | 'iac' | 'verb' | 'sb' | 'sb-iac';
  verb: number;
  sub: number[];
  answered: Set<string>;
}

export const newTelnetState = (): TelnetState => ({ mode: 'data', verb: 0, sub: [], answered: new Set() });

/** Splits received bytes into data (returned) and negotiation (answered through `reply`). */
export function telnetInput(
  state: TelnetState,
  chunk: Buffer,
  reply: (bytes: Buffer) => void,
  onSize?: (cols: number, rows: number) => void,
): Buffer {
  const data: number[] = [];
  for (const byte of chunk) {
    switch (state.mode) {
      case 'data':
        if (byte === IAC) state.mode = 'iac';
        else data.push(byte);
        break;
      case 'iac':
        if (byte === IAC) {
          data.push(IAC);
          state.mode = 'data';
        } else if (byte >= WILL && byte <= DONT) {
          state.verb = byte;
          state.mode = 'verb';
        } else if (byte === SB) {
          state.sub = [];
          state.mode = 'sb';
        } else state.mode = 'data';
        break;
      case 'verb': {
        state.mode = 'data';
        const key = `${state.verb}:${byte}`;
        if (state.answered.has(key)) break;
        state.answered.add(key);
        const ours = byte === ECHO || byte === SGA;
        if (state.verb === DO && !ours) reply(Buffer.from([IAC, WONT, byte]));
        if (state.verb === WILL && byte !== TTYPE && byte !== NAWS) reply(Buffer.from([IAC, DONT, byte]));
        break;
      }
      case 'sb':
        if (byte === IAC) state.mode = 'sb-iac';
        else state.sub.push(byte);
        break;
      case 'sb-iac':
        if (byte === SE) {
          const [option, c1 = 0, c2 = 0, r1 = 0, r2 = 0] = state.sub;
          if (option === NAWS) onSize?.((c1 << 8) | c2, (r1 << 8) | r2);
          state.mode = 'data';
        } else {
          state.sub.push(byte);
          state.mode = 'sb';
        }
        break;
    }
  }
  return Buffer.from(data);
}

export function telnetOutput(data: Buffer): Buffer {
  if (!data.includes(IAC)) return data;
  const out: number[] = [];
  for (const byte of data) {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}
