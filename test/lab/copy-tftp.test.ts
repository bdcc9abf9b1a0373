import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStarted } from '../helpers/fixture.js';
import { configBody, smallLab, sshExec, sshInteractive } from './lab-peers.js';
import { startTftpd } from './snmp-peers.js';

const tftpd = useStarted(() => startTftpd('::1'));
// The lab-level TFTP port stands in for 69, which an unprivileged lab cannot use.
const lab = useStarted(() => smallLab({ tftpPort: tftpd.port }));

describe('copy running-config tftp: from an OpenSSH session to tftpd-hpa on ::1', () => {
  it('interactive form uploads a file byte-identical to show running-config', async () => {
    const ios = lab.devices[0]!;
    const transcript = await sshInteractive('127.0.0.1', ios.ports.ssh, [
      ['r1#$', 'copy running-config tftp:'],
      ['remote host \\[\\]\\? $', '::1'],
      ['filename \\[r1-confg\\]\\? $', ''],
      ['r1#$', 'exit'],
    ]);
    expect(transcript).toMatch(/!+\r\n\d+ bytes copied in \d+\.\d{3} secs \(\d+ bytes\/sec\)\r\n/);
    const shown = await sshExec('::1', ios.ports.ssh, 'show running-config');
    expect((await readFile(join(tftpd.dir, 'r1-confg'))).toString()).toBe(configBody(shown));
  });

  it('one-shot URL form asks with the URL values as defaults and uploads', async () => {
    const ios = lab.devices[0]!;
    const url = `tftp://[::1]:${tftpd.port}/one-shot-confg`;
    const transcript = await sshInteractive('::1', ios.ports.ssh, [
      ['r1#$', `copy running-config ${url}`],
      ['remote host \\[::1\\]\\? $', ''],
      ['filename \\[one-shot-confg\\]\\? $', ''],
      ['r1#$', 'exit'],
    ]);
    expect(transcript).toContain('bytes copied in');
    const shown = await sshExec('127.0.0.1', ios.ports.ssh, 'show running-config');
    expect((await readFile(join(tftpd.dir, 'one-shot-confg'))).toString()).toBe(configBody(shown));
  });

  it('NX-OS asks for the VRF, uploads through management and reports Copy complete', async () => {
    const nxos = lab.devices[1]!;
    const transcript = await sshInteractive('::1', nxos.ports.ssh, [
      ['r2# $', `copy running-config tftp://[::1]/r2.cfg`],
      ['considered\\): $', 'management'],
      ['r2# $', 'exit'],
    ]);
    expect(transcript).toContain('TFTP put operation was successful');
    expect(transcript).toContain('Copy complete.');
    expect((await readFile(join(tftpd.dir, 'r2.cfg'))).toString()).toContain('hostname r2\n');
  });

  it('with ip tftp source-interface Loopback0 an IPv6 copy times out, as on IOS 12.4(24)T', async () => {
    const ios = lab.devices[0]!;
    const transcript = await sshInteractive('127.0.0.1', ios.ports.ssh, [
      ['r1#$', 'configure terminal'],
      ['\\(config\\)#$', 'ip tftp source-interface Loopback0'],
      ['\\(config\\)#$', 'end'],
      ['r1#$', `copy running-config tftp://[::1]/quirk-confg`],
      ['\\]\\? $', ''],
      ['\\]\\? $', ''],
      ['r1#$', 'exit'],
    ]);
    expect(transcript).toContain('%Error opening tftp://[::1]/quirk-confg (Timed out)');
    expect(ios.device.lastTftpFailure).toMatch(/afe:fe01::/);
  });
});
