/**
 * The console session log: everything the device printed on its console line during the run, with
 * a marker per workflow step, appended as it arrives so it survives a crash of netops itself. Only
 * received bytes are written (devices do not echo passwords), never what we type.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Transport } from '../../transport/transport.js';

export class ConsoleLog {
  readonly file: string;
  readonly #out: WriteStream;
  #detach: (() => void) | undefined;

  private constructor(file: string, out: WriteStream) {
    this.file = file;
    this.#out = out;
  }

  /** Opens `DIR/HOST-YYYYMMDDTHHMMSSZ.log` (mode 0600). */
  static async open(dir: string, host: string, line: string): Promise<ConsoleLog> {
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
    const file = path.join(dir, `${host}-${stamp}.log`);
    const out = createWriteStream(file, { flags: 'a', mode: 0o600 });
    const log = new ConsoleLog(file, out);
    log.mark(`netops console log of ${host}, line ${line}`);
    return log;
  }

  /** Records what the transport receives from now on, line endings made `\n`. */
  attach(transport: Transport): void {
    this.#detach?.();
    this.#detach = transport.onData((chunk) =>
      this.#out.write(chunk.toString('latin1').replace(/\r+\n/g, '\n').replace(/\r/g, ''), 'latin1'),
    );
  }

  mark(text: string): void {
    this.#out.write(`\n--- ${new Date().toISOString()} ${text} ---\n`);
  }

  async close(): Promise<void> {
    this.#detach?.();
    this.#detach = undefined;
    await new Promise<void>((resolve) => this.#out.end(resolve));
  }
}
