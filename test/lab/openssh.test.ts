import { describe, expect, it } from 'vitest';
import { useStarted } from '../helpers/fixture.js';
import { smallLab, sshExec } from './lab-peers.js';

const lab = useStarted(() => smallLab());

describe('OpenSSH against the simulated devices', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`runs show version and show running-config on ios and nxos over ${host}`, async () => {
      const [ios, nxos] = lab.devices;
      const iosVersion = await sshExec(host, ios!.ports.ssh, 'show version');
      expect(iosVersion).toMatch(/^Cisco IOS Software, .*Version 15\.2\(4\)M7/);
      expect(iosVersion).toContain('Configuration register is 0x2102');
      const iosRun = await sshExec(host, ios!.ports.ssh, 'show running-config');
      expect(iosRun).toMatch(/^Building configuration\.\.\.\r\n\r\nCurrent configuration : \d+ bytes\r\n!/);
      expect(iosRun).toContain('hostname r1\r\n');
      expect(iosRun.trimEnd()).toMatch(/\r\nend$/);
      const nxosVersion = await sshExec(host, nxos!.ports.ssh, 'show version');
      expect(nxosVersion).toContain('Cisco Nexus Operating System (NX-OS) Software');
      const nxosRun = await sshExec(host, nxos!.ports.ssh, 'show running-config');
      expect(nxosRun).toContain('!Command: show running-config');
      expect(nxosRun).toContain('hostname r2\r\n');
      expect(nxosRun).toMatch(/username admin password 5 \$5\$/);
    });
  }

  it('write memory saves running-config into startup-config (IOS), copy run start does on NX-OS', async () => {
    const [ios, nxos] = lab.devices;
    ios!.device.merge('snmp-server location saved-by-test\n', 'test');
    expect(await sshExec('127.0.0.1', ios!.ports.ssh, 'write memory')).toBe(
      'Building configuration...\r\n[OK]\r\n',
    );
    expect(await sshExec('::1', ios!.ports.ssh, 'show startup-config')).toMatch(
      /^Using \d+ out of 491512 bytes\r\n[\s\S]*snmp-server location saved-by-test\r\n/,
    );
    nxos!.device.merge('snmp-server location nx-saved\n', 'test');
    expect(await sshExec('::1', nxos!.ports.ssh, 'copy running-config startup-config')).toContain(
      'Copy complete.',
    );
    expect(await sshExec('::1', nxos!.ports.ssh, 'show startup-config')).toContain(
      'snmp-server location nx-saved\r\n',
    );
  });

  it('logs the commands each device received', async () => {
    const [ios] = lab.devices;
    await sshExec('127.0.0.1', ios!.ports.ssh, 'show inventory');
    expect(ios!.device.log.map((e) => `${e.via} ${e.line}`)).toContain('ssh-exec show inventory');
  });
});
