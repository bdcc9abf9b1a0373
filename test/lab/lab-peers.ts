/** Shared helpers for the lab interop tests: a small lab, and third-party clients run against it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startLoopbackLab, type Lab } from '../../src/lab/loopback-lab.js';
import { throwawayHostKeyOptions } from '../helpers/openssh.js';

export const run = promisify(execFile);

export const password = 'lab-password';

export async function smallLab(overrides: Parameters<typeof startLoopbackLab>[0] = {}): Promise<Lab> {
  return startLoopbackLab({
    devices: 2,
    platforms: ['ios', 'nxos'],
    bootMs: 200,
    snmp: false,
    password,
    ...overrides,
  });
}

/** The argv of `sshpass` running OpenSSH with one exec command, password login only. */
export function sshExecArgs(host: string, port: number, command: string, user = 'admin', secret = password) {
  return [
    '-p',
    secret,
    'ssh',
    ...throwawayHostKeyOptions,
    '-o',
    'PubkeyAuthentication=no',
    '-p',
    String(port),
    `${user}@${host}`,
    command,
  ];
}

/** OpenSSH through sshpass: one exec command, output as the device sent it. */
export async function sshExec(
  host: string,
  port: number,
  command: string,
  user = 'admin',
  secret = password,
): Promise<string> {
  const args = sshExecArgs(host, port, command, user, secret);
  const { stdout } = await run('sshpass', args, { maxBuffer: 8 << 20, timeout: 20_000 });
  return stdout;
}

/**
 * Drives an interactive OpenSSH session with expect: each step waits for a pattern, then sends a line.
 * Returns everything the session printed.
 */
export function sshInteractive(host: string, port: number, steps: readonly Step[]): Promise<string> {
  const ssh = `sshpass -p ${password} ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -p ${port} admin@${host}`;
  return expectSession(ssh, steps);
}

/** inetutils telnet (to a device or to its console line on the terminal server), driven by expect. */
export function telnetInteractive(host: string, port: number, steps: readonly Step[]): Promise<string> {
  return expectSession(`telnet ${host} ${port}`, steps);
}

/** [pattern to wait for, line to send]; a null line ends the script once the pattern is seen. */
export type Step = readonly [expect: string, send: string | null];

async function expectSession(command: string, steps: readonly Step[]): Promise<string> {
  const lines = [
    'set timeout 20',
    `spawn ${command}`,
    // A braced pattern list must span lines, or expect reads it as one literal pattern.
    ...steps.flatMap(([pattern, send]) => [
      `expect {\n -re {${pattern}} {}\n timeout { puts "\\nTIMEOUT waiting for: ${pattern.replace(/[[\]$"\\]/g, '.')}"; exit 1 }\n eof { puts "\\nEOF"; exit 1 }\n}`,
      ...(send === null ? ['exit 0'] : [`send -- {${send}}`, 'send -- "\\r"']),
    ]),
    'expect eof',
  ];
  try {
    const { stdout } = await run('expect', ['-c', lines.join('\n')], { timeout: 60_000, maxBuffer: 8 << 20 });
    return stdout;
  } catch (error) {
    throw new Error(`${command} failed; it printed:\n${(error as { stdout?: string }).stdout ?? ''}`);
  }
}

/** `show running-config` as the body a router uploads: without the three header lines, LF endings. */
export function configBody(showRunning: string): string {
  return showRunning.replace(/\r\n/g, '\n').split('\n').slice(3).join('\n');
}
