/** A CLI session opened for the task's host with the task's secrets and signal, closed whatever happens. */
import { openCliSession, type CliSession } from '../platforms/session.js';
import type { TransportKind } from '../transport/transport.js';
import type { TaskContext } from './task.js';

export interface TaskSessionOptions {
  /** @default the host's transport */
  readonly via?: TransportKind | undefined;
  /** One command or dialog, prompt to prompt. @default the session's */
  readonly commandMs?: number | undefined;
}

export async function withCliSession<T>(
  ctx: TaskContext,
  options: TaskSessionOptions,
  use: (session: CliSession) => Promise<T>,
): Promise<T> {
  ctx.progress?.(`connecting and logging in over ${options.via ?? ctx.host.transport}`);
  const session = await openCliSession({
    host: ctx.host,
    secret: (ref) => ctx.secret(ref),
    signal: ctx.signal,
    via: options.via,
    ...(options.commandMs === undefined ? {} : { timeouts: { commandMs: options.commandMs } }),
  });
  for (const note of session.notes) {
    ctx.log(note);
    ctx.note?.(note);
  }
  // Tasks that send several commands say which one they are at; the others are known to be past the login.
  ctx.progress?.(`logged in over ${options.via ?? ctx.host.transport}, working on the CLI session`);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}
