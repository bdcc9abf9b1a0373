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
