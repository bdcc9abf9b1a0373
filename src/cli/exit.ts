/** How errors reach the terminal, and the exit codes cron and scripts rely on. */
import { ConfigInvalidError } from '../config/diagnostics.js';
import { toNetopsError, type ErrorCode } from '../core/errors.js';

export const exitCodes = { ok: 0, hostFailed: 1, invalidInput: 2, aborted: 3 } as const;

const invalidInput: ReadonlySet<ErrorCode> = new Set([
  'CONFIG_INVALID',
  'CONFIG_UNREADABLE',
  'SECRET_MISSING',
  'LIMIT_EMPTY',
  'CONFIRM_REQUIRED',
  // A restore refused before anything is contacted: the revision has no unsanitized copy.
  'NOT_RESTORABLE',
]);

export function exitCodeFor(error: unknown): number {
  const code = toNetopsError(error).code;
  if (code === 'ABORTED') return exitCodes.aborted;
  return invalidInput.has(code) ? exitCodes.invalidInput : exitCodes.hostFailed;
}

export function formatError(error: unknown): string {
  if (error instanceof ConfigInvalidError) return `netops: invalid input\n${error.report()}`;
  const e = toNetopsError(error);
  return `netops: ${e.code}: ${e.message}\n  hint: ${e.hint}`;
}
