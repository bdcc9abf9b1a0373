/**
 * Login over Telnet or a console line, where the device asks the questions: username, password,
 * and on a console anything the last user or a reload left behind (a prompt, a boot dialog). A
 * silent console line is woken with a newline a few times before giving up.
 */
import type { Channel } from '../channel/channel.js';
import { followBoot, type BootQuestion } from '../channel/boot-watch.js';
import { cleanTerminalText } from '../channel/clean.js';
import type { Host, SecretRef } from '../config/model.js';
import { NetopsError } from '../core/errors.js';
import { allPrompts } from './privilege.js';
import type { PlatformSpec } from './spec.js';

export interface TerminalLoginOptions {
  readonly host: Host;
  secret(ref: SecretRef): Promise<string>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** How long a console line may stay silent before it gets another newline. */
const wakeIntervalMs = 3000;
/**
 * Logins tried with the same credentials when the device asks again. A device with AAA fallback
 * refuses the first try when its first server times out and then asks `Username:` again (Netmiko
 * answers every login prompt it sees); two tries stay below the three a Cisco line allows per
 * connection, so a wrong password costs two failures per run, not a lockout's worth.
 */
const loginTries = 2;

/** Returns the first prompt line reached after login. */
export async function loginOverTerminal(
  channel: Channel,
  platform: PlatformSpec,
  options: TerminalLoginOptions,
): Promise<string> {
  const { host } = options;
  const done = [platform.login.username, platform.login.password, ...allPrompts(platform)];
  const follow = {
    questions: bootQuestionsOf(platform, host.credentials?.password, options.secret),
    done,
    waitingFor: 'a login prompt',
    signal: options.signal,
    wakeMs: channel.transport.kind === 'console' ? wakeIntervalMs : undefined,
    host: host.name,
  };
  const end = Date.now() + options.timeoutMs;
  const newline = channel.transport.newline;
  let sentUser = false;
  let sentPassword = false;
  let refusals = 0;
  let seen = '';
  for (;;) {
    const found = await followBoot(channel, { ...follow, timeoutMs: end - Date.now() });
    seen = (seen + found.raw).slice(-2000);
    if (found.index > 1) return found.prompt;
    const isUser = found.index === 0;
    // A wake-up CR may have been read as an empty username: one password answered before any
    // username does not count as a failed attempt.
    if (isUser ? sentUser && sentPassword : sentPassword) {
      refusals += 1;
      if (refusals >= loginTries) throw refused(host, platform, seen);
    }
    const credentials = loginCredentials(host);
    if (isUser) {
      channel.write(credentials.username + newline);
      sentUser = true;
      sentPassword = false;
    } else {
      channel.write((credentials.password ? await options.secret(credentials.password) : '') + newline);
      sentPassword = true;
    }
  }
}

/**
 * The platform's boot questions with their answers; one asking for a secret gets `password` (the
 * host's, or the account a first boot creates).
 */
export function bootQuestionsOf(
  platform: PlatformSpec,
  password: SecretRef | undefined,
  secret: (ref: SecretRef) => Promise<string>,
): BootQuestion[] {
  return platform.bootDialogs.map((step) => ({
    question: step.question,
    answer: () => (step.secret && password ? secret(password) : Promise.resolve(step.answer)),
  }));
}

function loginCredentials(host: Host): NonNullable<Host['credentials']> {
  if (host.credentials) return host.credentials;
  throw new NetopsError('CONFIG_INVALID', `${host.name} asks for a login but has no credentials`, {
    hint: 'Give the host (or one of its groups) `credentials: NAME`.',
    host: host.name,
  });
}

function refused(host: Host, platform: PlatformSpec, seen: string): NetopsError {
  const text = cleanTerminalText(seen);
  const said = text.split('\n').find((line) => platform.login.failed.some((f) => f.test(line)));
  return new NetopsError(
    'AUTH_FAILED',
    `${host.name} refused the login of "${host.credentials?.username}"${said ? `: ${said.trim()}` : ''}`,
    {
      hint: "Check the username and password of this host's credentials (and the device's AAA or line password).",
      host: host.name,
    },
  );
}
