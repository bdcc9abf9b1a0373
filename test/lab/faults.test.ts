import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useStarted } from '../helpers/fixture.js';
import { run, smallLab, sshExec, sshExecArgs, sshInteractive } from './lab-peers.js';
import { startTftpd } from './snmp-peers.js';

const tftpd = useStarted(() => startTftpd('127.0.0.1'));
const lab = useStarted(() => smallLab({ tftpPort: tftpd.port }));
afterEach(() => lab.devices.forEach((d) => d.setFaults({})));

const ios = () => lab.devices[0]!;

describe('device faults, seen by third-party clients', () => {
  it('endless paging: --More-- even after terminal length 0', async () => {
    ios().setFaults({ endlessPaging: true });
    const out = await sshInteractive('127.0.0.1', ios().ports.ssh, [
      ['r1#$', 'terminal length 0'],
      ['r1#$', 'show running-config'],
      [' --More-- $', 'q'],
      ['r1#$', 'exit'],
    ]);
    expect(out).toContain(' --More-- ');
  });

  it('wrong prompt: the prompt names another host', async () => {
    ios().setFaults({ wrongPrompt: true });
    const out = await sshInteractive('127.0.0.1', ios().ports.ssh, [['r1-stby#$', 'exit']]);
    expect(out).toContain('r1-stby#');
  });

  it('close mid-output: the connection drops before the end of show running-config', async () => {
    ios().setFaults({ closeMidOutput: true });
    const attempt = run('sshpass', sshExecArgs('::1', ios().ports.ssh, 'show running-config'), {
      maxBuffer: 8 << 20,
    });
    // OpenSSH exits 255 when the connection goes without an exit status; what it printed (it may drop
    // its unflushed output on a disconnect) never reaches the final `end`.
    const failure = (await attempt.then(
      () => undefined,
      (error: unknown) => error,
    )) as { code: number; stdout: string } | undefined;
    expect(failure?.code).toBe(255);
    expect(failure?.stdout.trimEnd()).not.toMatch(/\nend$/);
  });

  it('hang after login: the session is open but nothing ever answers', async () => {
    ios().setFaults({ hangAfterLogin: true });
    const attempt = run('sshpass', sshExecArgs('127.0.0.1', ios().ports.ssh, 'show clock'), {
      timeout: 2000,
    });
    await expect(attempt).rejects.toMatchObject({ killed: true, stdout: '' });
    expect(ios().device.log.some((e) => e.line === 'show clock')).toBe(false);
  });

  it('garbage bytes are mixed into the output', async () => {
    ios().setFaults({ garbage: true });
    expect(await sshExec('127.0.0.1', ios().ports.ssh, 'show clock')).toContain('\u0000');
  });

  it('authentication failure: the right password is refused', async () => {
    ios().setFaults({ authFailure: true });
    await expect(sshExec('127.0.0.1', ios().ports.ssh, 'show clock')).rejects.toThrow();
  });

  it('TFTP upload truncated: the server receives about half of the config, cut inside a line', async () => {
    ios().setFaults({ tftp: 'truncated' });
    await sshInteractive('127.0.0.1', ios().ports.ssh, [
      ['r1#$', 'copy running-config tftp://127.0.0.1/truncated-confg'],
      ['\\]\\? $', ''],
      ['\\]\\? $', ''],
      ['r1#$', 'exit'],
    ]);
    const received = await readFile(join(tftpd.dir, 'truncated-confg'), 'latin1');
    const half = Buffer.byteLength(ios().device.body()) >> 1;
    expect(received.length).toBeLessThanOrEqual(half);
    expect(received.length).toBeGreaterThan(half - 3);
    expect(ios().device.body().startsWith(received)).toBe(true);
    expect(received).not.toMatch(/[\r\n]$/);
  });

  it('TFTP upload never sent: the copy fails with Timed out and nothing arrives', async () => {
    ios().setFaults({ tftp: 'never-sent' });
    const out = await sshInteractive('127.0.0.1', ios().ports.ssh, [
      ['r1#$', 'copy running-config tftp://127.0.0.1/never-confg'],
      ['\\]\\? $', ''],
      ['\\]\\? $', ''],
      ['r1#$', 'exit'],
    ]);
    expect(out).toContain('%Error opening tftp://127.0.0.1/never-confg (Timed out)');
    await expect(readFile(join(tftpd.dir, 'never-confg'))).rejects.toThrow();
  });
});
