/**
 * The one way a task opens a CLI session: for the task's host (or the account a first boot
 * created) with the task's secrets and signal; what the session could not set up goes to the
 * task's log and notes.
 */
import type { Host } from '../config/model.js';
import { NetopsError, isNetopsError } from '../core/errors.js';
import { once } from '../core/once.js';
import type { CliSession } from '../platforms/session.js';
import type { Transport, TransportKind } from '../transport/transport.js';
import type { TaskContext } from './task.js';

export interface TaskSessionOptions {
  /** @default the host's transport */
  readonly via?: TransportKind | undefined;
  /** One command or dialog, prompt to prompt. @default the session's */
  readonly commandMs?: number | undefined;
  /** Log in with this host's account instead of the task's host (same device). @default ctx.host */
  readonly host?: Host | undefined;
  /** Sees every byte received, from before the login on (a console log). */
  observe?(transport: Transport): void;
}

/** Sessions, channels and transports load with the first session, not with the task list (`--plan`). */
const loadSessions = once(() => import('../platforms/session.js'));

export async function openTaskSession(
  ctx: TaskContext,
  options: TaskSessionOptions = {},
): Promise<CliSession> {
  const { openCliSession } = await loadSessions();
  const session = await openCliSession({
    host: options.host ?? ctx.host,
    secret: (ref) => ctx.secret(ref),
    signal: ctx.signal,
    via: options.via,
    ...(options.commandMs === undefined ? {} : { timeouts: { commandMs: options.commandMs } }),
    ...(options.observe ? { observe: options.observe } : {}),
  });
  for (const note of session.notes) {
    ctx.log(note);
    ctx.note?.(note);
  }
  return session;
}

/**
 * A session for the length of `use`, closed whatever happens, with the task's progress said; or
 * the session the calling step lent (`ctx.session`), which stays open for it.
 */
export async function withCliSession<T>(
  ctx: TaskContext,
  options: TaskSessionOptions,
  use: (session: CliSession) => Promise<T>,
): Promise<T> {
  if (ctx.session) return use(ctx.session);
  ctx.progress?.(`connecting and logging in over ${options.via ?? ctx.host.transport}`);
  const session = await openTaskSession(ctx, options);
  // Tasks that send several commands say which one they are at; the others are known to be past the login.
  ctx.progress?.(`logged in over ${options.via ?? ctx.host.transport}, working on the CLI session`);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

const transportNames: Record<TransportKind, string> = {
  ssh: 'SSH',
  telnet: 'Telnet',
  console: 'its console',
};

export interface ReopenOptions extends TaskSessionOptions {
  /** From the reload to a logged-in session. */
  readonly timeoutMs: number;
}

/**
 * Logs in again once a reloaded device is back. While it boots, connections are refused or
 * logins fail; each attempt waits on the device (connect and login time limits), and attempts are
 * spaced by a growing pause so a booting device is not hammered.
 */
export async function reopenAfterReload(ctx: TaskContext, options: ReopenOptions): Promise<CliSession> {
  const end = Date.now() + options.timeoutMs;
  let pauseMs = 500;
  let last: unknown;
  while (Date.now() < end) {
    try {
      return await openTaskSession(ctx, options);
    } catch (error) {
      if (isNetopsError(error, 'ABORTED')) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, Math.max(0, end - Date.now()))));
    pauseMs = Math.min(pauseMs * 2, 10_000);
  }
  throw new NetopsError(
    'PROMPT_TIMEOUT',
    `${ctx.host.name} was not back on ${transportNames[options.via ?? ctx.host.transport]} within ${options.timeoutMs / 1000}s after the reload`,
    {
      hint: 'Watch the boot on the console; raise timeouts.boot for slow devices.',
      host: ctx.host.name,
      details: { lastError: isNetopsError(last) ? last.toJSON() : String(last) },
    },
  );
}
