/**
 * Watches a device boot on its console and answers the first-boot questions until a login or CLI
 * prompt shows. Boot logs are lines; a question is a last line without a line feed that then stays
 * quiet. A question nobody knows is not guessed at: after `unknownQuestionMs` of silence the watch
 * stops with the question's text, before anything is typed into a dialog we do not understand.
 */
import { StringDecoder } from 'node:string_decoder';
import { cleanTerminalText, lastLine } from '../../channel/clean.js';
import { NetopsError } from '../../core/errors.js';
import type { Transport } from '../../transport/transport.js';

export interface BootQuestion {
  readonly question: RegExp;
  answer(): Promise<string>;
}

export interface WatchBootOptions {
  readonly transport: Transport;
  readonly questions: readonly BootQuestion[];
  /** Any of these on the last line ends the watch (the login prompt). */
  readonly done: readonly RegExp[];
  readonly timeoutMs: number;
  readonly unknownQuestionMs: number;
  readonly signal: AbortSignal;
  readonly host: string;
}

export interface BootWatched {
  /** The questions answered, as the device asked them, in order. */
  readonly answered: readonly string[];
  /** The prompt line that ended the watch. */
  readonly prompt: string;
}

/** A last line shaped like a question or a prompt: `...? `, `...: `, `[no]:`, `(y/n)`, `loader >`. */
const questionShaped = /(\?|:|\]|\)|>)\s*$/;
/** The same question answered this often means our answer is not accepted. */
const maxRepeats = 3;

export interface BootWatch {
  readonly booted: Promise<BootWatched>;
  /**
   * Called once the reload is confirmed. Before that, nothing is answered and no prompt counts:
   * a console that logs out on an idle timeout shows `login:` with the old config still running.
   */
  arm(): void;
}

export function watchBoot(options: WatchBootOptions): BootWatch {
  const { transport } = options;
  let armed = false;
  // Replaced by the promise executor, which runs before this function returns.
  let arm: () => void = () => {
    armed = true;
  };
  const booted = new Promise<BootWatched>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const answered: string[] = [];
    const times = new Map<BootQuestion, number>();
    let pending = '';
    let seen = '';
    let answering = false;
    let quiet: NodeJS.Timeout | undefined;
    let settled = false;
    const tail = () => JSON.stringify(cleanTerminalText(seen).trimEnd().slice(-300));
    const finish = (error?: NetopsError, prompt = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      clearTimeout(quiet);
      offData();
      offClose();
      options.signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ answered, prompt });
    };
    const overall = setTimeout(
      () =>
        finish(
          new NetopsError(
            'PROMPT_TIMEOUT',
            `${options.host} did not reach a login prompt on its console within ${options.timeoutMs / 1000}s after the reload; last console output: ${tail()}`,
            {
              hint: 'The device is still booting, hung in the loader or waiting at a question: look at the console log.',
              host: options.host,
              details: { answered },
            },
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () =>
      finish(
        new NetopsError('ABORTED', `stopped while ${options.host} was booting`, {
          hint: 'The step was stopped; the device is booting or waiting on its console.',
          host: options.host,
        }),
      );
    const offClose = transport.onClose((reason) =>
      finish(
        new NetopsError(
          'CLOSED_BY_PEER',
          `the console line of ${options.host} closed during the boot: ${reason.message}`,
          {
            hint: 'The terminal server dropped the session: reconnect to the console line by hand.',
            host: options.host,
          },
        ),
      ),
    );
    const unknown = (line: string) =>
      finish(
        new NetopsError(
          'DIALOG_UNEXPECTED',
          `${options.host} asks a boot question netops does not know: ${JSON.stringify(line.trim())}`,
          {
            hint: "Answer it on the console by hand, or add it to the step's boot.answers ({ question: REGEX, answer: TEXT }) and run again.",
            host: options.host,
            details: { question: line.trim(), answered },
          },
        ),
      );
    arm = () => {
      armed = true;
      pending = '';
    };
    const check = async () => {
      if (!armed || answering || settled) return;
      const line = lastLine(pending);
      clearTimeout(quiet);
      if (options.done.some((p) => p.test(line))) return finish(undefined, line);
      const known = options.questions.find((q) => q.question.test(line));
      if (known) {
        const count = (times.get(known) ?? 0) + 1;
        times.set(known, count);
        if (count > maxRepeats) {
          return finish(
            new NetopsError('DIALOG_UNEXPECTED', `${options.host} keeps asking "${line.trim()}"`, {
              hint: 'Our answer is not accepted: answer on the console by hand and check boot.answers.',
              host: options.host,
              details: { question: line.trim(), answered },
            }),
          );
        }
        answering = true;
        const answer = await known.answer();
        answering = false;
        pending = '';
        answered.push(line.trim());
        transport.write(answer + transport.newline);
        return;
      }
      if (line.trim() !== '' && questionShaped.test(line)) {
        quiet = setTimeout(() => unknown(line), options.unknownQuestionMs);
      }
    };
    const offData = transport.onData((chunk) => {
      const text = decoder.write(chunk);
      pending = (pending + text).slice(-4000);
      seen = (seen + text).slice(-4000);
      void check().catch((error: unknown) => finish(error as NetopsError));
    });
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
  });
  return { booted, arm: () => arm() };
}
