/**
 * A logged-in CLI session on one device: on the transport transport/open.ts chose for the host, logs
 * in (SSH does it in the transport; Telnet and console answer the login questions), reaches the platform's default
 * privilege, turns paging off, and then runs commands, config lines and dialogs with the platform's
 * prompts and error markers. Tasks (command, config, backup, startup-config) use only this.
 */
import { watchBoot, type BootWatch } from '../channel/boot-watch.js';
import { Channel, type ChannelResult, type DialogStep } from '../channel/channel.js';
import { lineMarkers, type LineMarkers } from '../channel/line-markers.js';
import type { Host } from '../config/model.js';
import { NetopsError, isNetopsError } from '../core/errors.js';
import { openTransport, requireCredentials } from '../transport/open.js';
import type { Transport } from '../transport/transport.js';
import { loginOverTerminal } from './login.js';
import { allPrompts, levelNamed, levelOfPrompt, privilegePath } from './privilege.js';
import { platformNamed } from './registry.js';
import type {
  CliSessionOptions,
  ReloadOptions,
  SendOptions,
  SessionBootWatch,
  StartOptions,
} from './session-options.js';
import type { CommandDialog, PlatformSpec } from './spec.js';

export type {
  CliSessionOptions,
  ReloadOptions,
  SendOptions,
  SessionBootWatch,
  SessionTimeouts,
  StartOptions,
} from './session-options.js';

/** The one way to a logged-in CLI session: the transport the host asks for, login, privilege, setup. */
export async function openCliSession(options: CliSessionOptions): Promise<CliSession> {
  const { host } = options;
  const platform = options.platform ?? platformNamed(host.platform, host.name);
  const transport = await openTransport({
    host,
    via: options.via ?? host.transport,
    secret: (ref) => options.secret(ref),
    signal: options.signal,
    connectMs: options.timeouts?.connectMs,
    loginMs: options.timeouts?.loginMs,
    trustNewHostKey: options.trustNewHostKey,
    knownHostsFile: options.knownHostsFile,
  });
  options.observe?.(transport);
  const session = new CliSession(transport, platform, options);
  try {
    await session.start();
    return session;
  } catch (error) {
    await transport.close();
    throw error;
  }
}

export class CliSession {
  readonly platform: PlatformSpec;
  readonly channel: Channel;
  readonly #options: CliSessionOptions;
  /** Whose account logs in: the inventory host, or the admin a first boot created. */
  #host: Host;
  readonly #prompts: RegExp[];
  /** Prompts plus the platform's questions: a command ends at either, and a question is refused. */
  readonly #promptsOrQuestions: RegExp[];
  readonly #errorMarkers: LineMarkers;
  #privilege = '';

  constructor(transport: Transport, platform: PlatformSpec, options: CliSessionOptions) {
    this.platform = platform;
    this.#options = options;
    this.#host = options.host;
    this.#prompts = allPrompts(platform);
    // concat, not a spread of both: TurboFan's compile of this constructor (once per process, late
    // in a large run) costs about a seventh less CPU (bench/profile/README.md, session 11 J).
    this.#promptsOrQuestions = this.#prompts.concat(platform.questions.asks);
    this.#errorMarkers = lineMarkers(platform.errorMarkers);
    // The spread last: one followed by more fields costs some 3 us (limits never name a host).
    this.channel = new Channel(transport, { host: options.host.name, ...options.limits });
  }

  /** The privilege level the last prompt showed. */
  get privilege(): string {
    return this.#privilege;
  }

  /**
   * What the session could not set up and how it went on (a refused `terminal width`); never
   * secrets. Tasks put these in the debug log and the run record.
   */
  readonly notes: string[] = [];

  /**
   * Login (Telnet/console), a return to resync past any banner (and measure the round trip the echo
   * wait is bounded by), default privilege, then the setup commands, best effort. Called by
   * openCliSession, and again after a reload the console followed.
   */
  async start(options: StartOptions = {}): Promise<void> {
    if (options.as) this.#host = options.as;
    const timeoutMs = options.timeoutMs ?? this.#options.timeouts?.loginMs ?? 30_000;
    const opening = { timeoutMs, signal: this.#options.signal };
    if (this.channel.transport.kind === 'ssh') {
      await this.channel.readUntil(this.#prompts, {
        timeoutMs,
        signal: opening.signal,
        waitingFor: 'the first prompt',
      });
    } else {
      await loginOverTerminal(this.channel, this.platform, {
        ...opening,
        host: this.#host,
        secret: (ref) => this.#options.secret(ref),
      });
    }
    const settled = await this.channel.resync(this.#prompts, opening);
    this.#track(settled.line);
    await this.acquire(this.platform.defaultPrivilege);
    for (const command of this.platform.sessionSetup) await this.#setUp(command);
  }

  /**
   * One setup command, best effort: a refusal is noted and the session goes on (a refused
   * `terminal length 0` leaves paging on, and the channel answers the pager). Only a command that
   * does not bring the prompt back fails the host: what follows it could not be told apart.
   */
  async #setUp(command: string): Promise<void> {
    let result: ChannelResult;
    try {
      result = await this.send(command, { allowErrors: true });
    } catch (error) {
      if (!(error instanceof NetopsError) || error.code === 'ABORTED') throw error;
      throw new NetopsError(
        'SESSION_SETUP_FAILED',
        `${this.#host.name} did not complete the setup command "${command}": ${error.message}`,
        {
          hint: 'Output after a setup command that did not return to the prompt cannot be trusted: check the device by hand (a hung CLI, an unexpected question).',
          host: this.#host.name,
          transient: error.transient,
          cause: error,
          details: { command, cause: error.code },
        },
      );
    }
    const refusal = this.#refusal(result);
    if (refusal === undefined) return;
    const consequence = /^term(inal)?\s+len/i.test(command)
      ? 'paging stays on; netops answers --More--'
      : 'continuing without it';
    this.notes.push(`"${command}" was refused (${refusal}); ${consequence}`);
  }

  /** Runs one command at the default privilege level; device error output fails it (COMMAND_REJECTED). */
  async send(command: string, options: SendOptions = {}): Promise<ChannelResult> {
    await this.acquire(this.platform.defaultPrivilege, options);
    return this.#run(command, options);
  }

  /**
   * Enters config mode and types the lines in order, stopping at the first one the device refuses
   * (COMMAND_REJECTED naming the line and the device's message); returns to the default level unless the session broke.
   */
  async sendConfig(lines: readonly string[], options: SendOptions = {}): Promise<ChannelResult[]> {
    await this.acquire(this.platform.configPrivilege, options);
    const results: ChannelResult[] = [];
    for (const [index, line] of lines.entries()) {
      try {
        results.push(await this.#run(line, options));
      } catch (error) {
        // Only a refused line leaves a healthy session to walk back on; after a time-out or a
        // hang-up the original error is what the user needs.
        if (!(error instanceof NetopsError && error.code === 'COMMAND_REJECTED')) throw error;
        await this.acquire(this.platform.defaultPrivilege, options);
        throw new NetopsError(
          'COMMAND_REJECTED',
          `config line ${index + 1} "${line}" was refused: ${error.message}`,
          {
            hint: 'Fix that line; the lines before it were applied (not saved), the ones after it were not sent.',
            host: this.#host.name,
            details: { ...error.details, line: index + 1, applied: index },
          },
        );
      }
    }
    await this.acquire(this.platform.defaultPrivilege, options);
    return results;
  }

  /** Runs a command that asks questions (save, erase, copy, reload) at the default level. */
  async dialog(dialog: CommandDialog, options: SendOptions = {}): Promise<ChannelResult> {
    await this.acquire(this.platform.defaultPrivilege, options);
    const result = await this.channel.dialog(
      dialog.command,
      dialog.steps,
      this.#promptsOrQuestions,
      this.#opOptions(options),
    );
    await this.#refuseQuestion(dialog.command, result, options);
    this.#track(result.prompt);
    if (!options.allowErrors) this.#checkErrors(dialog.command, result);
    return result;
  }

  /**
   * Reloads the device with the platform's reload dialog. On a console the session follows the
   * boot (answering setup/POAP dialogs, logging in again) until the default prompt is back. Over
   * SSH or Telnet the device drops the session, so the session is closed afterwards.
   */
  async reload(options: ReloadOptions = {}): Promise<void> {
    const reload = this.platform.reload;
    if (!reload) {
      throw new NetopsError('COMMAND_REJECTED', `platform ${this.platform.name} has no reload command`, {
        hint: 'Reload this device by other means.',
        host: this.#host.name,
      });
    }
    await this.acquire(this.platform.defaultPrivilege, options);
    const onConsole = this.channel.transport.kind === 'console';
    if (onConsole || options.until !== 'dropped') {
      await this.channel.dialog(reload.command, reload.steps, this.#prompts, {
        ...this.#opOptions(options),
        endAfterLastAnswer: true,
      });
    } else {
      await this.#untilDropped(reload, options);
    }
    if (!onConsole) return this.close();
    await this.start({ timeoutMs: options.bootTimeoutMs ?? 600_000 });
  }

  /** A closed session is success; a prompt coming back means the device refused or did not reload. */
  async #untilDropped(reload: CommandDialog, options: SendOptions): Promise<void> {
    let result: ChannelResult;
    try {
      result = await this.dialog(reload, { ...options, allowErrors: true });
    } catch (error) {
      if (isNetopsError(error, 'CLOSED_BY_PEER')) return;
      await this.close();
      throw error;
    }
    await this.close();
    throw new NetopsError(
      'COMMAND_REJECTED',
      `${this.#host.name} did not reload: it returned to "${result.prompt}"`,
      {
        hint: 'Read the output in details: the reload was refused or not confirmed.',
        host: this.#host.name,
        details: { output: result.text.slice(-1000) },
      },
    );
  }

  /**
   * Watches, on this console session, the boot of a reload confirmed over another session; `arm()`
   * once it is. The prompt that ends the watch stays unread for `start()`.
   */
  watchBoot(options: SessionBootWatch): BootWatch {
    return watchBoot(this.channel, {
      questions: options.questions,
      done: options.done ?? [this.platform.login.username],
      timeoutMs: options.timeoutMs,
      unknownQuestionMs: options.unknownQuestionMs,
      signal: options.signal ?? this.#options.signal,
      host: this.#host.name,
    });
  }

  /** Walks the privilege graph to `name`, answering an enable password where the platform asks one. */
  async acquire(name: string, options: SendOptions = {}): Promise<void> {
    levelNamed(this.platform, name);
    // Every command asks for the level the session is already at: no path to work out (two
    // ancestries, their arrays and a step per level, per command).
    if (this.#privilege === name) return;
    for (const step of privilegePath(this.platform, this.#privilege, name)) {
      const expected = step.direction === 'down' ? step.level.name : (step.level.parent as string);
      const command = step.direction === 'down' ? step.level.escalate : step.level.deescalate;
      if (command === undefined) break;
      const auth = step.direction === 'down' ? step.level.auth : undefined;
      const steps: DialogStep[] = auth
        ? [{ question: auth.prompt, answer: await this.#authSecret(auth.secret), optional: true }]
        : [];
      const result = await this.channel.dialog(command, steps, this.#prompts, this.#opOptions(options));
      this.#track(result.prompt);
      if (this.#privilege !== expected) {
        throw new NetopsError(
          'PRIV_UNREACHABLE',
          `"${command}" left ${this.#host.name} at "${result.prompt}" instead of ${expected}`,
          {
            hint: auth
              ? "Check the enable secret of this host's credentials."
              : "Check the account's privilege on the device.",
            host: this.#host.name,
            details: { output: result.text.slice(-500) },
          },
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.channel.transport.close();
  }

  async #run(command: string, options: SendOptions): Promise<ChannelResult> {
    const result = await this.channel.command(command, this.#promptsOrQuestions, this.#opOptions(options));
    await this.#refuseQuestion(command, result, options);
    this.#track(result.prompt);
    if (!options.allowErrors) this.#checkErrors(command, result);
    return result;
  }

  /**
   * The command stopped at a question nobody gave an answer for (`[confirm]` after an unlisted
   * command): refuse it the platform's way, so the device does nothing, and fail now rather than at
   * the step's time limit.
   */
  async #refuseQuestion(command: string, result: ChannelResult, options: SendOptions): Promise<void> {
    if (levelOfPrompt(this.platform, result.prompt)) return;
    this.channel.write(this.platform.questions.refuse);
    // Back at a prompt the session stays usable; if the device does not come back, the error stands anyway.
    const back = await this.channel
      .readUntil(this.#prompts, {
        ...this.#opOptions(options),
        timeoutMs: 5000,
        waitingFor: 'the prompt after refusing',
      })
      .catch(() => undefined);
    if (back) this.#track(back.line);
    throw new NetopsError(
      'DIALOG_UNANSWERED',
      `${this.#host.name} asked "${result.prompt.trim()}" after "${command}"; netops has no answer for it and refused it`,
      {
        hint: 'Nothing was confirmed. If the command is meant to run, it needs a known dialog: run it with the task made for it (startup-config, config save) or report the question so the platform can answer it.',
        host: this.#host.name,
        details: { command, question: result.prompt.trim(), output: result.text.slice(-500) },
      },
    );
  }

  /** The device's error message in the output, if it refused the command. */
  #refusal(result: ChannelResult): string | undefined {
    // Where the union of the markers (multiline) matches first; only lines that can hold one are tried.
    const found = this.#errorMarkers.first(result.text);
    if (found < 0) return undefined;
    const from = result.text.lastIndexOf('\n', found) + 1;
    return result.text.slice(from).split('\n', 3).join(' ').replace(/\s+/g, ' ').trim();
  }

  #checkErrors(command: string, result: ChannelResult): void {
    const message = this.#refusal(result);
    if (message === undefined) return;
    throw new NetopsError('COMMAND_REJECTED', `${this.#host.name} refused "${command}": ${message}`, {
      hint: "Check the command against this device's software release and mode.",
      host: this.#host.name,
      details: { command, output: result.text.slice(-2000) },
    });
  }

  #track(promptLine: string): void {
    const level = levelOfPrompt(this.platform, promptLine);
    if (!level) {
      throw new NetopsError('PRIV_UNREACHABLE', `"${promptLine}" is not a ${this.platform.name} prompt`, {
        hint: `Check the host's platform (now ${this.platform.name}) and its hostname (letters, digits, . _ - @ / : only).`,
        host: this.#host.name,
      });
    }
    this.#privilege = level.name;
  }

  async #authSecret(which: 'enable' | 'password'): Promise<string> {
    const credentials = requireCredentials(this.#host);
    const ref = (which === 'enable' ? credentials.enable : undefined) ?? credentials.password;
    if (!ref) {
      throw new NetopsError(
        'SECRET_MISSING',
        `${this.#host.name} asks for an ${which} secret but the credentials have none`,
        {
          hint: `Add \`${which}\` to the credentials set "${credentials.name}".`,
          host: this.#host.name,
        },
      );
    }
    return this.#options.secret(ref);
  }

  #opOptions(options: SendOptions): { timeoutMs: number; signal: AbortSignal | undefined } {
    return {
      timeoutMs: options.timeoutMs ?? this.#options.timeouts?.commandMs ?? 60_000,
      signal: options.signal ?? this.#options.signal,
    };
  }
}
