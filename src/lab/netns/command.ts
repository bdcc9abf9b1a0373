/**
 * Running the system tools the lab drives (`ip`, `tc`, `ss`, `ssh-keygen`, `openssl`): argv only,
 * never a shell, and a failure becomes a LAB_FAILED error that quotes the command and its stderr.
 */
import { execFile } from 'node:child_process';
import { NetopsError } from '../../core/errors.js';

export interface RunOptions {
  /** Written to the command's stdin (for `ip -batch -`). */
  readonly input?: string;
  /** Failing is an answer, not an error (e.g. "does this namespace exist?"). @default false */
  readonly allowFailure?: boolean;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code === 0 || options.allowFailure) return resolve({ code, stdout, stderr });
      const shown = [command, ...args].join(' ');
      reject(
        new NetopsError(
          'LAB_FAILED',
          `\`${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}\` failed: ${(stderr || String(error?.message)).trim()}`,
          {
            hint:
              (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'
                ? `${command} is not installed: run \`netops lab doctor\`.`
                : 'The lab needs root (CAP_NET_ADMIN); run `netops lab doctor`, then `netops lab down` to clean up a half-built lab.',
            cause: error,
          },
        ),
      );
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** `ip` commands inside namespace `ns` (or the root namespace when undefined), as one batch. */
export async function ipBatch(ns: string | undefined, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await run('ip', [...(ns ? ['-n', ns] : []), '-batch', '-'], { input: `${lines.join('\n')}\n` });
}
