/** Runs the built `netops` binary as a user would, capturing output and exit code. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI; NETOPS_BIN points elsewhere when several builds share one work tree. */
export const netopsBin =
  process.env['NETOPS_BIN'] ?? fileURLToPath(new URL('../../dist/cli/bin.cjs', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  /** Called once the process has started, e.g. to send it a signal. */
  readonly onSpawn?: (pid: number) => void;
  /** Prefix the command, e.g. ['ip', 'netns', 'exec', NS]. */
  readonly wrap?: readonly string[];
}

export function runNetops(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const [command, ...prefix] = options.wrap ?? [];
  const argv = [...prefix, process.execPath, netopsBin, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? argv.shift()!, argv, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('spawn', () => child.pid !== undefined && options.onSpawn?.(child.pid));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
