/**
 * `netops ... | head`: a reader that closes the pipe before netops has written is no error of
 * netops'. The command ends with its own exit code and no EPIPE stack trace on stderr.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { netopsBin } from '../helpers/netops-cli.js';

function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [netopsBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed at once, long before node has loaded netops: its first write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output to a pipe its reader closed', () => {
  it.each(['status --help', '--help', 'tasks'])('netops %s ends quietly', async (line) => {
    const result = await withClosedStdout(line.split(' '));
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.code).toBe(0);
  });
});
