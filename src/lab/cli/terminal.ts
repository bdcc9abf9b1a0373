/**
 * The terminal side of a CLI session: line editing with echo, single-key answers, CRLF output,
 * ` --More-- ` paging, and the output faults (latency, garbage, closing mid-output). Input arrives as
 * raw bytes from SSH, telnet (after IAC handling) or the console; the session reads lines from it.
 */
import type { DeviceFaults } from '../device/model.js';

export interface TerminalOptions {
  /** Raw bytes to the peer. */
  readonly write: (data: Buffer) => void;
  /** Drops the connection (fault: close mid-output). */
  readonly close: () => void;
  readonly faults: () => DeviceFaults;
}

/** Thrown into pending reads when the session must end (peer gone, reload, fault). */
export class SessionEnded extends Error {
  override readonly name = 'SessionEnded';
}

const more = ' --More-- ';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lineEnds = { crlf: '\r\n', lf: '\n', lfcr: '\n\r' } as const;
/** How late the `slow` echo persona shows a key (a CPU-bound device, docs/lab.md). */
const slowEchoMs = 500;

/** `text` with each LF or CR LF made `end`; text without a CR (most output) needs no pattern. */
function withLineEnds(text: string, end: string): string {
  return text.includes('\r') ? text.replace(/\r?\n/g, end) : text.replaceAll('\n', end);
}

export class Terminal {
  /** `terminal length`: 0 disables paging. */
  length = 24;
  width = 80;
  /** Paging is off on exec channels (no terminal). */
  paging = true;
  #options: TerminalOptions;
  #queue: Buffer[] = [];
  #wake: (() => void) | undefined;
  #ended: SessionEnded | undefined;
  #afterCR = false;
  /** Late echoes still to show: output waits for them, as on the device's own tty. */
  #late: Promise<void> = Promise.resolve();
  /**
   * Echo of keys already read whose input has more bytes waiting: it leaves in one write once the
   * input runs dry or the line ends, as a tty's line discipline echoes a whole input buffer at once
   * (a line sent in one packet comes back in one packet, not one SSH packet per key).
   */
  #echoes = '';

  constructor(options: TerminalOptions) {
    this.#options = options;
  }

  feed(data: Buffer): void {
    this.#queue.push(data);
    this.#wake?.();
  }

  /** Ends the session: pending and later reads throw SessionEnded. */
  end(reason: string): void {
    this.#ended ??= new SessionEnded(reason);
    this.#wake?.();
  }

  /** Starts over after a reload (console): typed-ahead input is dropped, reads work again. */
  restart(): void {
    this.#ended = undefined;
    this.#queue = [];
  }

  get ended(): boolean {
    return this.#ended !== undefined;
  }

  async #byte(): Promise<number> {
    for (;;) {
      if (this.#ended) throw this.#ended;
      const head = this.#queue[0];
      if (head && head.length > 0) {
        const byte = head[0] as number;
        if (head.length === 1) this.#queue.shift();
        else this.#queue[0] = head.subarray(1);
        return byte;
      }
      if (head) {
        this.#queue.shift();
        continue;
      }
      this.#flushEchoes();
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  /** A byte that is not the LF/NUL completing a CR already taken as end of line. */
  async #key(): Promise<number> {
    for (;;) {
      const byte = await this.#byte();
      const wasCR = this.#afterCR;
      this.#afterCR = byte === 0x0d;
      if (wasCR && (byte === 0x0a || byte === 0x00)) continue;
      return byte;
    }
  }

  echo(text: string): void {
    const end = lineEnds[this.#options.faults().lineEnding ?? 'crlf'];
    const all = this.#echoes + text;
    this.#echoes = '';
    this.#options.write(Buffer.from(end === '\r\n' ? all : all.replace(/\r\n/g, end), 'latin1'));
  }

  #flushEchoes(): void {
    if (this.#echoes !== '') this.echo('');
  }

  /** The echo of typed input: with the rest of its input buffer, or (`slow` persona) late but in order. */
  #typed(text: string): void {
    if (this.#options.faults().echo !== 'slow') {
      this.#echoes += text;
      return;
    }
    const due = Date.now() + slowEchoMs;
    this.#late = this.#late.then(() => sleep(due - Date.now())).then(() => this.echo(text));
  }

  /**
   * Reads one line with echo (or without, for passwords). Ctrl-Z and Ctrl-C come back as `\x1a` and
   * `\x03` so config mode can leave on them.
   */
  async readLine(options: { echo?: boolean } = {}): Promise<string> {
    const persona = this.#options.faults().echo;
    const echo = (options.echo ?? true) && persona !== 'none' && persona !== 'line';
    let line = '';
    for (;;) {
      const byte = await this.#key();
      if (byte === 0x0d || byte === 0x0a) {
        this.#typed(persona === 'line' && options.echo !== false ? `${line}\r\n` : '\r\n');
        this.#flushEchoes();
        return line;
      }
      if (byte === 0x7f || byte === 0x08) {
        if (line.length > 0 && echo) this.#typed('\b \b');
        line = line.slice(0, -1);
      } else if (byte === 0x15) {
        if (echo) this.#typed('\b \b'.repeat(line.length));
        line = '';
      } else if (byte === 0x1a || byte === 0x03) {
        this.echo(byte === 0x1a ? '^Z\r\n' : '^C\r\n');
        return String.fromCharCode(byte);
      } else if (byte === 0x1b) {
        // Arrow keys and other escape sequences: ignored, as history is not simulated.
        if ((await this.#byte()) === 0x5b) await this.#byte();
      } else if (byte >= 0x20 && byte < 0x7f) {
        line += String.fromCharCode(byte);
        if (echo) this.#typed(String.fromCharCode(byte));
      }
    }
  }

  /** One key, for `[confirm]` and the pager; CR, LF and CR LF all read as `\r`. */
  async readKey(): Promise<string> {
    const byte = await this.#key();
    return byte === 0x0a ? '\r' : String.fromCharCode(byte);
  }

  /**
   * Sends output: LF becomes CRLF (or the persona's line end); latency, per-byte delay, garbage,
   * mid-output close and small writes apply.
   */
  async print(text: string): Promise<void> {
    if (text === '') return;
    this.#flushEchoes();
    await this.#late;
    const faults = this.#options.faults();
    let data = Buffer.from(withLineEnds(text, lineEnds[faults.lineEnding ?? 'crlf']), 'latin1');
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (faults.perByteUs) await sleep((data.length * faults.perByteUs) / 1000);
    if (faults.garbage) data = Buffer.concat([Buffer.from([0x00, 0x9b, 0xfe, 0x81]), data]);
    if (faults.closeMidOutput && data.length > 2048) {
      this.#options.write(data.subarray(0, data.length >> 1));
      this.#options.close();
      this.end('closed mid-output (fault)');
      throw this.#ended;
    }
    if (this.#ended) throw this.#ended;
    if (!faults.chunkBytes) return this.#options.write(data);
    for (let at = 0; at < data.length; at += faults.chunkBytes) {
      if (this.#ended) throw this.#ended;
      this.#options.write(data.subarray(at, at + faults.chunkBytes));
      // Each write leaves on its own instead of joining the next in one buffer.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Command output through the pager (device-reference.md §1.3). */
  async page(text: string): Promise<void> {
    const endless = this.#options.faults().endlessPaging === true;
    const length = endless && this.length === 0 ? 24 : this.length;
    if (!this.paging || length === 0) return this.print(text);
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    let at = 0;
    let room = length - 1;
    while (at < lines.length) {
      const chunk = lines.slice(at, at + room);
      at += chunk.length;
      await this.print(chunk.map((l) => `${l}\n`).join(''));
      if (at >= lines.length) break;
      await this.print(more);
      const key = await this.readKey();
      this.echo('\b'.repeat(more.length) + ' '.repeat(more.length) + '\b'.repeat(more.length));
      if (key === ' ') room = length - 1;
      else if (key === '\r') room = 1;
      else return;
    }
    await this.print(last);
  }
}
