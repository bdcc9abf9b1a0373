/**
 * Follows a device boot on its console and answers the boot questions (setup, POAP) until a login or
 * CLI prompt shows. Boot logs are lines; a question is a last line without a line feed. Everything is
 * read through the session's own channel: one read loop, whoever reloaded the device. A question
 * nobody knows is not guessed at: when it stays quiet for `unknownQuestionMs` the follow stops with
 * its text, before anything is typed into a dialog we do not understand.
 */
import { NetopsError, isNetopsError } from '../core/errors.js';
import type { Channel, ReadResult } from './channel.js';
import { cleanTerminalText } from './clean.js';

export interface BootQuestion {
  readonly question: RegExp;
  answer(): Promise<string>;
}

export interface FollowBootOptions {
  readonly questions: readonly BootQuestion[];
  /** Any of these on the last line ends the follow (a login prompt, a CLI prompt). */
  readonly done: readonly RegExp[];
  readonly timeoutMs: number;
  /** What is awaited, for the time-out message. */
  readonly waitingFor: string;
  readonly signal?: AbortSignal | undefined;
  /** A question-shaped last line left quiet this long fails the follow (DIALOG_UNEXPECTED). @default none */
  readonly unknownQuestionMs?: number | undefined;
  /** A line silent this long gets a return (a console that waits for RETURN after the boot). @default none */
  readonly wakeMs?: number | undefined;
  /** The same question answered more often fails the follow: our answer is not accepted. @default no limit */
  readonly maxRepeats?: number | undefined;
  /** The prompt that ended the follow stays unread, for the login after it. @default false */
  readonly leavePrompt?: boolean | undefined;
  /** Inventory host name, for errors. */
  readonly host: string;
}

export interface BootFollowed {
  /** The questions answered, as the device asked them, in order. */
  readonly answered: readonly string[];
  /** The prompt line that ended the follow. */
  readonly prompt: string;
  /** Which of `done` it matched. */
  readonly index: number;
  /** What was read on the way, as received. */
  readonly raw: string;
}

/** What a follow has answered and seen so far, kept by the caller for its own messages. */
export interface BootTranscript {
  readonly answered: string[];
  /** The last 4000 characters read. */
  seen: string;
}

/** A last line shaped like a question or a prompt: `...? `, `...: `, `[no]:`, `(y/n)`, `loader >`. */
const questionShaped = /(\?|:|\]|\)|>)\s*$/;

/** Reads the channel until one of `done`, answering the known questions on the way. */
export async function followBoot(
  channel: Channel,
  options: FollowBootOptions,
  transcript: BootTranscript = { answered: [], seen: '' },
): Promise<BootFollowed> {
  const { done, questions } = options;
  const { answered } = transcript;
  const end = Date.now() + options.timeoutMs;
  const times = new Map<BootQuestion, number>();
  let raw = '';
  for (;;) {
    const found = await readStep(channel, options, end);
    if (found === undefined) continue;
    raw += found.raw;
    transcript.seen = (transcript.seen + found.raw).slice(-4000);
    if (found.index < 0) throw unknownQuestion(options, found.line, answered);
    if (found.index < done.length) return { answered, prompt: found.line, index: found.index, raw };
    const known = questions[found.index - done.length] as BootQuestion;
    const count = (times.get(known) ?? 0) + 1;
    times.set(known, count);
    if (count > (options.maxRepeats ?? Infinity)) throw askedAgain(options, found.line, answered);
    answered.push(found.line.trim());
    channel.write((await known.answer()) + channel.transport.newline);
  }
}

/** One read; undefined when a silent line was woken with a return and the follow goes on. */
async function readStep(
  channel: Channel,
  options: FollowBootOptions,
  end: number,
): Promise<ReadResult | undefined> {
  const remaining = end - Date.now();
  const wake = options.wakeMs !== undefined && options.wakeMs < remaining;
  const { unknownQuestionMs: unknownMs } = options;
  try {
    return await channel.readUntil([...options.done, ...options.questions.map((q) => q.question)], {
      timeoutMs: Math.max(1, wake ? (options.wakeMs as number) : remaining),
      signal: options.signal,
      waitingFor: options.waitingFor,
      ...(unknownMs === undefined ? {} : { quiet: { ms: unknownMs, when: questionShaped } }),
      ...(options.leavePrompt ? { keep: (index: number) => index < options.done.length } : {}),
    });
  } catch (error) {
    if (!(wake && isNetopsError(error, 'PROMPT_TIMEOUT'))) throw error;
    channel.write(channel.transport.newline);
    return undefined;
  }
}

function unknownQuestion(options: FollowBootOptions, line: string, answered: readonly string[]): NetopsError {
  return new NetopsError(
    'DIALOG_UNEXPECTED',
    `${options.host} asks a boot question netops does not know: ${JSON.stringify(line.trim())}`,
    {
      hint: "Answer it on the console by hand, or add it to the step's boot.answers ({ question: REGEX, answer: TEXT }) and run again.",
      host: options.host,
      details: { question: line.trim(), answered },
    },
  );
}

function askedAgain(options: FollowBootOptions, line: string, answered: readonly string[]): NetopsError {
  return new NetopsError('DIALOG_UNEXPECTED', `${options.host} keeps asking "${line.trim()}"`, {
    hint: 'Our answer is not accepted: answer on the console by hand and check boot.answers.',
    host: options.host,
    details: { question: line.trim(), answered },
  });
}

/** `done` is the login prompt; a quiet unknown question always stops the watch. */
export interface WatchBootOptions extends Pick<
  FollowBootOptions,
  'questions' | 'done' | 'timeoutMs' | 'signal' | 'host'
> {
  readonly unknownQuestionMs: number;
}

export interface BootWatched {
  /** The questions answered, as the device asked them, in order. */
  readonly answered: readonly string[];
  /** The prompt line that ended the watch; it stays unread for the login after it. */
  readonly prompt: string;
}

export interface BootWatch {
  readonly booted: Promise<BootWatched>;
  /**
   * Called once the reload is confirmed. Before that, nothing is answered and no prompt counts:
   * a console that logs out on an idle timeout shows `login:` with the old config still running.
   * What the console showed before is dropped.
   */
  arm(): void;
}

/** The same question answered this often means our answer is not accepted. */
const maxRepeats = 3;

/**
 * Watches the boot after a reload confirmed elsewhere (over SSH): the time limit runs from now,
 * the reading from `arm()`.
 */
export function watchBoot(channel: Channel, options: WatchBootOptions): BootWatch {
  const end = Date.now() + options.timeoutMs;
  const transcript: BootTranscript = { answered: [], seen: '' };
  let arm: () => void = () => undefined;
  const armed = new Promise<void>((resolve) => {
    arm = () => {
      // Dropped now, not when the reading starts: what arrives from here on is the boot.
      transcript.seen = channel.discard().slice(-4000);
      arm = () => undefined;
      resolve();
    };
  });
  const booted = armed.then(async () => {
    try {
      const followed = await followBoot(
        channel,
        {
          ...options,
          timeoutMs: Math.max(1, end - Date.now()),
          waitingFor: 'a login prompt after the reload',
          maxRepeats,
          leavePrompt: true,
        },
        transcript,
      );
      return { answered: followed.answered, prompt: followed.prompt };
    } catch (error) {
      throw bootError(error, options, { ...transcript, seen: transcript.seen + channel.unread });
    }
  });
  return { booted, arm: () => arm() };
}

/** The channel's time-out, hang-up and stop, said the way they matter during a boot. */
function bootError(error: unknown, options: WatchBootOptions, transcript: BootTranscript): unknown {
  if (isNetopsError(error, 'PROMPT_TIMEOUT')) {
    const tail = JSON.stringify(cleanTerminalText(transcript.seen.slice(-4000)).trimEnd().slice(-300));
    return new NetopsError(
      'PROMPT_TIMEOUT',
      `${options.host} did not reach a login prompt on its console within ${options.timeoutMs / 1000}s after the reload; last console output: ${tail}`,
      {
        hint: 'The device is still booting, hung in the loader or waiting at a question: look at the console log.',
        host: options.host,
        details: { answered: transcript.answered },
      },
    );
  }
  if (isNetopsError(error, 'CLOSED_BY_PEER')) {
    return new NetopsError(
      'CLOSED_BY_PEER',
      `the console line of ${options.host} closed during the boot: ${error.message}`,
      {
        hint: 'The terminal server dropped the session: reconnect to the console line by hand.',
        host: options.host,
      },
    );
  }
  if (isNetopsError(error, 'ABORTED')) {
    return new NetopsError('ABORTED', `stopped while ${options.host} was booting`, {
      hint: 'The step was stopped; the device is booting or waiting on its console.',
      host: options.host,
    });
  }
  return error;
}
