import { describe, expect, it } from 'vitest';
import { useStarted } from '../helpers/fixture.js';
import { password, run, smallLab } from './lab-peers.js';

// Debian's interpreter: python3-netmiko is importable only from it (not from a pyenv python3 on PATH).
const python = '/usr/bin/python3';

const script = `
import sys
from netmiko import ConnectHandler
kind, host, port, password = sys.argv[1:5]
conn = ConnectHandler(device_type=kind, host=host, port=int(port), username='admin', password=password,
                      fast_cli=True, timeout=20)
out = conn.send_command('show running-config')
sys.stdout.write(conn.find_prompt() + '\\n' + out)
conn.disconnect()
`;

const lab = useStarted(() => smallLab());

describe('Netmiko (Debian python3-netmiko) against the simulated devices', () => {
  it('cisco_ios connects over IPv4 and reads show running-config', async () => {
    const ios = lab.devices[0]!;
    const { stdout } = await run(
      python,
      ['-c', script, 'cisco_ios', '127.0.0.1', String(ios.ports.ssh), password],
      { timeout: 60_000 },
    );
    expect(stdout.split('\n')[0]).toBe('r1#');
    expect(stdout).toContain('hostname r1');
    expect(stdout.trimEnd()).toMatch(/\nend$/);
    expect(ios.device.log.map((e) => e.line)).toEqual(
      expect.arrayContaining(['terminal length 0', 'show running-config']),
    );
  });

  it('cisco_ios_telnet logs in over IPv6 telnet and reads show running-config', async () => {
    const ios = lab.devices[0]!;
    const { stdout } = await run(
      python,
      ['-c', script, 'cisco_ios_telnet', '::1', String(ios.ports.telnet), password],
      { timeout: 60_000 },
    );
    expect(stdout.split('\n')[0]).toBe('r1#');
    expect(stdout.trimEnd()).toMatch(/\nend$/);
  });

  it('cisco_nxos connects over IPv6 and reads show running-config', async () => {
    const nxos = lab.devices[1]!;
    const { stdout } = await run(
      python,
      ['-c', script, 'cisco_nxos', '::1', String(nxos.ports.ssh), password],
      { timeout: 60_000 },
    );
    expect(stdout.split('\n')[0]).toBe('r2#');
    expect(stdout).toContain('!Command: show running-config');
    expect(stdout).toContain('hostname r2');
  });
});
