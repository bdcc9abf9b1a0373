/**
 * Prompt-driven interaction over any transport. Nothing here sleeps: every operation writes, then
 * waits for bytes that prove the step is done (a prompt, a question), under its own time limit and
 * the caller's AbortSignal. The echo of a typed line is waited for only within a bound measured
 * from the session's own round trips (echo.ts), then the return goes anyway: devices that echo
 * late, whole lines or nothing work the same. Prompts and questions are matched only against the
 * last line of the tail of the output (after a newline that came after the return, for commands),
 * so prompt-like text in the middle of a config or a prompt left over from before cannot end a
 * read early, and long outputs cost no rescans. The pager is answered only while a command runs.
 */
import { StringDecoder } from 'node:string_decoder';
import { NetopsError } from '../core/errors.js';
import type { Transport } from '../transport/transport.js';
import { cleanTerminalText, echoForm, lastLine } from './clean.js';
import { EchoBound, outputAfterEcho, type EchoBoundOptions } from './echo.js';

export interface ChannelOptions {
  /** Inventory host name, for errors. */
  readonly host?: string | undefined;
  /** A pager prompt on the last line; answered with a space. @default / ?--More-- ?$/ */
  readonly pager?: RegExp | undefined;
  /** Pages answered within one operation before giving up (a device paging forever). @default 5000 */
  readonly maxPages?: number | undefined;
  /** Characters kept per operation (OUTPUT_TOO_LARGE beyond). @default 64 MiB */
  readonly maxOutputChars?: number | undefined;
  /** How far back from the end prompts are searched. @default 1000 */
  readonly promptSearchDepth?: number | undefined;
  /** Limits of the echo wait. */
  readonly echo?: EchoBoundOptions | undefined;
}

/** What the echo waits did, for diagnostics and tests (counts, never durations). */
export interface EchoStats {
  /** Typed lines whose echo was waited for. */
  readonly waits: number;
  /** Waits that ended at the bound without the echo (the return was sent anyway). */
  readonly unanswered: number;
  /** The largest bound any wait used, in ms. */
  readonly maxBoundMs: number;
  /** Round trips measured so far. */
  readonly roundTrips: number;
}

export interface OpOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface DialogOptions extends OpOptions {
  /** Return once the last question is answered instead of waiting for a prompt (reload). @default false */
  readonly endAfterLastAnswer?: boolean | undefined;
}

export interface ReadOptions extends OpOptions {
  /** Only match after a newline has arrived (the echo line of a command ends with one). @default false */
  readonly afterNewline?: boolean | undefined;
  /** What is awaited, for the timeout message (`the prompt after "show version"`). */
  readonly waitingFor: string;
  /**
   * Ends the read (index -1) when the last line matches `when` and no byte comes for `ms`: a
   * question nobody expected, left waiting for an answer (a boot dialog), not a slow device.
   */
  readonly quiet?: { readonly ms: number; readonly when: RegExp } | undefined;
  /** The output stays unread when the pattern of this index matched: the next read sees it again. */
  readonly keep?: ((index: number) => boolean) | undefined;
}

export interface ReadResult {
  /** Everything received since the previous read ended, as decoded text. */
  readonly raw: string;
  /** Which of the patterns matched. */
  readonly index: number;
  /** The cleaned last line that matched (the prompt or question). */
  readonly line: string;
}

export interface ChannelResult {
  readonly raw: string;
  /** Output without echo, trailing prompt, ANSI sequences, backspaces and CRs. */
  readonly text: string;
  /** The prompt the device returned to. */
  readonly prompt: string;
}

interface Waiter {
  /** Returns true when the wait is over (it settled itself). */
  check(): boolean;
  fail(error: NetopsError): void;
}

export class Channel {
  readonly transport: Transport;
  readonly #options: {
    readonly host: string | undefined;
    readonly pager: RegExp;
    readonly maxPages: number;
    readonly maxOutputChars: number;
    readonly promptSearchDepth: number;
  };
  readonly #decoder = new StringDecoder('utf8');
  #chunks: string[] = [];
  #size = 0;
  #tail = '';
  #newlineSeen = false;
  #sincePage = '';
  #pages = 0;
  #waiter: Waiter | undefined;
  readonly #bound: EchoBound;
  /**
   * When the last write went out, while no byte has come back since: the next byte in ends one
   * round-trip sample. The last write, not the first: a device that answers only the return must
   * not count the echo wait as round trip.
   */
  #probeAt: number | undefined;
  /** Between a command's return and its prompt: only then is a `--More--` a pager to answer. */
  #paging = false;
  #echo = { waits: 0, unanswered: 0, maxBoundMs: 0 };

  constructor(transport: Transport, options: ChannelOptions = {}) {
    this.transport = transport;
    this.#options = {
      host: options.host,
      pager: options.pager ?? / ?--More-- ?$/,
      maxPages: options.maxPages ?? 5000,
      maxOutputChars: options.maxOutputChars ?? 64 * 1024 * 1024,
      promptSearchDepth: options.promptSearchDepth ?? 1000,
    };
    this.#bound = new EchoBound(options.echo);
    transport.onData((chunk) => this.#receive(this.#decoder.write(chunk)));
    transport.onClose((reason) => this.#waiter?.fail(reason));
  }

  /** Writes text as is (no newline added). */
  write(text: string): void {
    this.#probeAt = performance.now();
    this.transport.write(text);
  }

  /** How long the echo of the next typed line is waited for, in ms. */
  get echoBoundMs(): number {
    return this.#bound.ms;
  }

  get echoStats(): EchoStats {
    return { ...this.#echo, roundTrips: this.#bound.samples };
  }

  /**
   * Sends a bare return and reads until a prompt that came after it (Netmiko's and scrapli's prompt
   * discovery): text a banner left behind is consumed, and the exchange measures a round trip
   * before the first command is typed.
   */
  async resync(prompts: readonly RegExp[], options: OpOptions): Promise<ReadResult> {
    this.#return();
    return this.readUntil(prompts, {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      afterNewline: true,
      waitingFor: 'the prompt after a return',
    });
  }

  /** Waits until the last output line matches one of `patterns`, then hands over all pending output. */
  readUntil(patterns: readonly RegExp[], options: ReadOptions): Promise<ReadResult> {
    const quiet = options.quiet && this.#quietWatch(options.quiet);
    const found = (index: number, line: string): ReadResult => ({
      raw: options.keep?.(index) ? this.unread : this.#take(),
      index,
      line,
    });
    const read = this.#wait(options, () => {
      if (quiet?.line !== undefined) return found(-1, quiet.line);
      quiet?.stop();
      if (options.afterNewline && !this.#newlineSeen) return undefined;
      // An empty last line holds no prompt or question: skip the cleaning (most chunks of a long output).
      if (this.#tail.endsWith('\n')) return undefined;
      const line = lastLine(this.#tail);
      const index = patterns.findIndex((p) => p.test(line));
      if (index >= 0) return found(index, line);
      quiet?.start(line);
      return undefined;
    });
    return quiet ? read.finally(() => quiet.stop()) : read;
  }

  /** Output received and not yet handed over by a read. */
  get unread(): string {
    return this.#chunks.join('');
  }

  /** Drops the output received so far (what came before a reload); returns it. */
  discard(): string {
    return this.#take();
  }

  /** The timer of a read's `quiet` option: started on a matching last line, stopped by any byte. */
  #quietWatch(quiet: NonNullable<ReadOptions['quiet']>) {
    let timer: NodeJS.Timeout | undefined;
    const watch = {
      line: undefined as string | undefined,
      start: (line: string) => {
        if (!quiet.when.test(line)) return;
        timer = setTimeout(() => {
          watch.line = line;
          if (this.#waiter?.check()) this.#waiter = undefined;
        }, quiet.ms);
      },
      stop: () => clearTimeout(timer),
    };
    return watch;
  }

  /**
   * Sends one line the way a person types it: the input, then (once its echo is back, so a slow
   * device never gets the return before the text) the newline, then reads until a prompt.
   */
  async command(
    input: string,
    prompts: readonly RegExp[],
    options: OpOptions & { echo?: boolean },
  ): Promise<ChannelResult> {
    const deadline = withDeadline(options);
    this.write(input);
    if (options.echo !== false && input.trim() !== '') await this.#waitForEcho(input, deadline);
    this.#return();
    const done = await this.readUntil(prompts, {
      timeoutMs: deadline.timeoutMs,
      signal: deadline.signal,
      afterNewline: true,
      waitingFor: `the prompt after "${input}"`,
    });
    return result(done, input);
  }

  /**
   * Sends `input` and answers questions in order; each step may be optional (the device does not
   * always ask it) and has its own time limit. Ends at one of `prompts`.
   */
  async dialog(
    input: string,
    steps: readonly DialogStep[],
    prompts: readonly RegExp[],
    options: DialogOptions,
  ): Promise<ChannelResult> {
    const deadline = withDeadline(options);
    this.write(input);
    if (input.trim() !== '') await this.#waitForEcho(input, deadline);
    this.#return();
    let raw = '';
    let next = 0;
    for (;;) {
      const required = steps.findIndex((s, i) => i >= next && !s.optional);
      const candidates = steps.slice(next, required < 0 ? steps.length : required + 1);
      const step = candidates[0];
      const timeoutMs = Math.min(step?.timeoutMs ?? deadline.timeoutMs, deadline.remaining());
      const found = await this.readUntil([...candidates.map((s) => s.question), ...prompts], {
        timeoutMs,
        signal: options.signal,
        afterNewline: true,
        waitingFor: step ? `"${step.question.source}" after "${input}"` : `the prompt after "${input}"`,
      });
      raw += found.raw;
      if (found.index >= candidates.length) {
        if (required >= 0) throw this.#unexpected(input, steps[required] as DialogStep, raw);
        return result({ raw, index: found.index, line: found.line }, input);
      }
      const answered = candidates[found.index] as DialogStep;
      next += found.index + 1;
      this.write(answered.answer + (answered.noNewline ? '' : this.transport.newline));
      // A reload never comes back to the prompt on this session: the last required answer ends it.
      if (options.endAfterLastAnswer && steps.slice(next).every((s) => s.optional))
        return result({ raw, index: found.index, line: found.line }, input);
    }
  }

  #unexpected(input: string, step: DialogStep, raw: string): NetopsError {
    return new NetopsError(
      'DIALOG_UNEXPECTED',
      `"${input}" returned to the prompt without asking "${step.question.source}"; it said: ${tailOf(cleanTerminalText(raw))}`,
      {
        hint: 'The device answered differently than this platform expects: check the output, the software release and the platform setting.',
        ...this.#host(),
      },
    );
  }

  /**
   * Waits for the echo of `input` no longer than the measured bound (nor the operation's own
   * limit); a missing echo is no error: the return goes anyway and `result` strips whatever came.
   */
  async #waitForEcho(input: string, deadline: OpOptions & { remaining(): number }): Promise<void> {
    const wanted = echoForm(input);
    const boundMs = Math.min(this.#bound.ms, deadline.remaining());
    this.#echo.waits += 1;
    this.#echo.maxBoundMs = Math.max(this.#echo.maxBoundMs, boundMs);
    try {
      await this.#wait(
        { timeoutMs: boundMs, signal: deadline.signal, waitingFor: `the echo of "${input}"` },
        () => (echoForm(this.#chunks.join('')).includes(wanted) ? true : undefined),
      );
    } catch (error) {
      if (!(error instanceof NetopsError && error.code === 'PROMPT_TIMEOUT')) throw error;
      this.#echo.unanswered += 1;
    }
  }

  /** The return ending a typed line: from here on a newline and a prompt are the device's answer. */
  #return(): void {
    this.#newlineSeen = false;
    this.#paging = true;
    this.write(this.transport.newline);
  }

  #receive(text: string): void {
    if (text === '') return;
    if (this.#probeAt !== undefined) {
      this.#bound.sample(performance.now() - this.#probeAt);
      this.#probeAt = undefined;
    }
    this.#chunks.push(text);
    this.#size += text.length;
    if (!this.#newlineSeen && text.includes('\n')) this.#newlineSeen = true;
    this.#tail = lastChars(this.#tail, text, this.#options.promptSearchDepth);
    if (this.#size > this.#options.maxOutputChars) {
      this.#waiter?.fail(
        new NetopsError('OUTPUT_TOO_LARGE', `output exceeded ${this.#options.maxOutputChars} characters`, {
          hint: 'Narrow the command (e.g. `| section`), or raise the output limit if this much is expected.',
          ...this.#host(),
        }),
      );
      return;
    }
    // A chunk ending in a line feed leaves an empty last line: no pager to answer.
    if (this.#paging && !text.endsWith('\n')) this.#answerPager(text);
    if (this.#waiter?.check()) this.#waiter = undefined;
  }

  #answerPager(text: string): void {
    this.#sincePage = lastChars(this.#sincePage, text, 256);
    if (!this.#options.pager.test(lastLine(this.#sincePage))) return;
    this.#sincePage = '';
    this.#pages += 1;
    if (this.#pages > this.#options.maxPages) {
      this.#waiter?.fail(
        new NetopsError('OUTPUT_TOO_LARGE', `the device paged more than ${this.#options.maxPages} screens`, {
          hint: 'Paging could not be turned off or the device pages forever: check `terminal length 0` on this platform.',
          ...this.#host(),
        }),
      );
      return;
    }
    this.write(' ');
  }

  #take(): string {
    const raw = this.#chunks.join('');
    this.#chunks = [];
    this.#size = 0;
    this.#tail = '';
    this.#newlineSeen = false;
    this.#pages = 0;
    this.#paging = false;
    return raw;
  }

  #wait<T>(options: ReadOptions, attempt: () => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const closed = this.transport.closed;
      if (closed) return reject(closed);
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#waiter = undefined;
      };
      const fail = (error: NetopsError) => {
        cleanup();
        reject(error);
      };
      const onAbort = () =>
        fail(
          new NetopsError('ABORTED', `stopped while waiting for ${options.waitingFor}`, {
            hint: 'The step was stopped.',
            ...this.#host(),
          }),
        );
      const timer = setTimeout(
        () =>
          fail(
            new NetopsError(
              'PROMPT_TIMEOUT',
              `${options.waitingFor} did not come from ${this.transport.peer} within ${options.timeoutMs / 1000}s; last output: ${tailOf(cleanTerminalText(this.#tail))}`,
              {
                hint: 'The device is hung, slower than the time limit, or its prompt changed (hostname, platform): check it by hand.',
                transient: true,
                ...this.#host(),
                details: { receivedChars: this.#size },
              },
            ),
          ),
        options.timeoutMs,
      );
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const check = () => {
        const value = attempt();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      this.#waiter = { check, fail: (error) => fail(this.#closedWhileWaiting(error, options)) };
      if (check()) return;
    });
  }

  #closedWhileWaiting(error: NetopsError, options: ReadOptions): NetopsError {
    if (error.code !== 'CLOSED_BY_PEER') return error;
    return new NetopsError(
      'CLOSED_BY_PEER',
      `${error.message} while waiting for ${options.waitingFor} (${this.#size} characters received)`,
      {
        hint: error.hint,
        transient: true,
        ...this.#host(),
        details: { receivedChars: this.#size },
      },
    );
  }

  #host(): { host?: string } {
    return this.#options.host === undefined ? {} : { host: this.#options.host };
  }
}

export interface DialogStep {
  readonly question: RegExp;
  /** Typed after the question; a newline follows unless `noNewline`. */
  readonly answer: string;
  readonly noNewline?: boolean;
  /** The device may skip this question (e.g. "Save?" only when the config changed). */
  readonly optional?: boolean;
  /** Time allowed for this question to appear. @default the operation's timeout */
  readonly timeoutMs?: number;
}

/**
 * The operation's limits and the time left of them. Per command, so written out: an object literal
 * with a spread followed by more fields costs some 3 us on Node 20, against 0.1 field by field.
 */
function withDeadline(options: OpOptions): OpOptions & { remaining(): number } {
  const end = Date.now() + options.timeoutMs;
  return {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    remaining: () => Math.max(1, end - Date.now()),
  };
}

function result(done: ReadResult, input: string): ChannelResult {
  const cleaned = cleanTerminalText(done.raw);
  // The last line is the prompt; the output starts after the echo, or after the return's own
  // line feed when nothing was echoed.
  const end = cleaned.lastIndexOf('\n');
  const text = end < 0 ? '' : outputAfterEcho(cleaned.slice(0, end), input);
  return { raw: done.raw, text, prompt: done.line };
}

/**
 * The last `count` characters of `before + text`. A chunk as long as that on its own is sliced
 * alone: slicing the joined pair would first copy the whole chunk (an SSH packet of a config, 32 KB)
 * into one flat string, only to keep its end.
 */
function lastChars(before: string, text: string, count: number): string {
  return text.length >= count ? text.slice(-count) : (before + text).slice(-count);
}

function tailOf(text: string): string {
  const trimmed = text.trimEnd();
  return JSON.stringify(trimmed.length > 120 ? `...${trimmed.slice(-120)}` : trimmed);
}
