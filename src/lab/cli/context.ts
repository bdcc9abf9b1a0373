/** The state of one CLI session that every command handler works on. */
import type { ConfigSection } from '../device/config-tree.js';
import type { Device } from '../device/device.js';
import type { Terminal } from './terminal.js';

export type Mode =
  | { readonly kind: 'exec' }
  | { readonly kind: 'config' }
  | { readonly kind: 'sub'; readonly name: string; readonly section: ConfigSection };

export interface Session {
  readonly device: Device;
  readonly term: Terminal;
  /** `ssh`, `ssh-exec`, `telnet`, `console`. */
  readonly via: string;
  readonly user: string;
  /** 1 (user EXEC, `>`) or 15 (privileged, `#`). */
  privilege: number;
  mode: Mode;
  /** Set by exit/logout/reload: the loop stops. */
  done: boolean;
}

/** Ctrl-C typed at a question: the command stops there, having done nothing, and the prompt comes back. */
export class QuestionAborted extends Error {
  override readonly name = 'QuestionAborted';
}

/** Prints a question and reads the answer line (echoed); Ctrl-C aborts the command (QuestionAborted). */
export async function ask(session: Session, question: string): Promise<string> {
  await session.term.print(question);
  const answer = await session.term.readLine();
  if (answer === '\x03') throw new QuestionAborted(question.trim());
  return answer.trim();
}

/** `[confirm]`: CR or `y` accepts, any other key aborts (device-reference.md §3). */
export async function confirm(session: Session, question: string): Promise<boolean> {
  await session.term.print(question);
  const key = await session.term.readKey();
  session.term.echo('\r\n');
  return key === '\r' || key.toLowerCase() === 'y';
}

/** `(y/n)  [n]` questions of NX-OS: a line, default no. */
export async function yesNo(session: Session, question: string): Promise<boolean> {
  const answer = await ask(session, question);
  return /^y(es)?$/i.test(answer);
}
