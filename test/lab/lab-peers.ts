/** Shared helpers for the lab interop tests: a small lab, and third-party clients run against it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startLoopbackLab, type Lab } from '../../src/lab/loopback-lab.js';

export const run = promisify(execFile);

export const password = 'lab-password';

export async function smallLab(overrides: Parameters<typeof startLoopbackLab>[0] = {}): Promise<Lab> {
  return startLoopbackLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false, password, ...overrides });
}

/** OpenSSH through sshpass: one exec command, output as the device sent it. */
export async function sshExec(host: string, port: number, command: string, user = 'admin'): Promise<string> {
  const { stdout } = await run(
    'sshpass',
    ['-p', password, 'ssh', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'PubkeyAuthentication=no', '-p', String(port), `${user}@${host}`, command],
    { maxBuffer: 8 << 20, timeout: 20_000 },
  );
  return stdout;
}

/**
 * Drives an interactive OpenSSH session with expect: each step waits for a pattern, then sends a line.
 * Returns everything the session printed.
 */
export async function sshInteractive(host: string, port: number, steps: readonly [expect: string, send: string][]): Promise<string> {
  const lines = [
    'set timeout 20',
    `spawn sshpass -p ${password} ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -p ${port} admin@${host}`,
    // A braced pattern list must span lines, or expect reads it as one literal pattern.
    ...steps.flatMap(([pattern, send]) => [`expect {\n -re {${pattern}} {}\n timeout { puts "\\nTIMEOUT"; exit 1 }\n}`, `send -- {${send}}`, 'send -- "\\r"']),
    'expect eof',
  ];
  const { stdout } = await run('expect', ['-c', lines.join('\n')], { timeout: 60_000, maxBuffer: 8 << 20 });
  return stdout;
}

/** `show running-config` as the body a router uploads: without the three header lines, LF endings. */
export function configBody(showRunning: string): string {
  return showRunning.replace(/\r\n/g, '\n').split('\n').slice(3).join('\n');
}
