import { describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { useStarted } from '../helpers/fixture.js';
import { password, smallLab, sshExec, sshInteractive, telnetInteractive } from './lab-peers.js';

const lab = useStarted(() => smallLab());

/** Resolves once the device has logged a command (a session is known to be in). */
async function commandSeen(d: LabDevice, line: string): Promise<void> {
  while (!d.device.log.some((e) => e.line === line)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('telnet (inetutils) over IPv6', () => {
  it('logs in to IOS with Username:/Password: and runs a command', async () => {
    const ios = lab.devices[0]!;
    const out = await telnetInteractive('::1', ios.ports.telnet, [
      ['Username: $', 'admin'],
      ['Password: $', password],
      ['r1#$', 'show privilege'],
      ['r1#$', 'show running-config'],
      [' --More-- $', 'q'],
      ['r1#$', 'exit'],
    ]);
    expect(out).toContain('User Access Verification');
    expect(out).toContain('Current privilege level is 15');
    expect(out).not.toContain(password);
    // The pager prompt is erased with backspaces, spaces and backspaces when a key is pressed.
    expect(out).toContain(' --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b');
  });

  it('logs in to NX-OS at login: and refuses a wrong password first', async () => {
    const nxos = lab.devices[1]!;
    const out = await telnetInteractive('::1', nxos.ports.telnet, [
      ['login: $', 'admin'],
      ['Password: $', 'wrong'],
      ['login: $', 'admin'],
      ['Password: $', password],
      ['r2# $', 'terminal length 0'],
      ['r2# $', 'show inventory'],
      ['r2# $', 'exit'],
    ]);
    expect(out).toContain('Login incorrect');
    expect(out).toMatch(
      /NAME: "Chassis", {2}DESCR: "Nexus7000 C7010 \(10 Slot\) Chassis"\r\nPID: N7K-C7010 +, {2}VID: V03 , {2}SN: TBM\w+/,
    );
  });
});

describe('IOS EXEC modes over telnet (IPv4)', () => {
  it('a privilege-1 user lands in >, gets the caret, and enable asks the enable secret', async () => {
    const ios = lab.devices[0]!;
    const out = await telnetInteractive('127.0.0.1', ios.ports.telnet, [
      ['Username: $', 'operator'],
      ['Password: $', password],
      ['r1>$', 'show running-config'],
      ['r1>$', 'show vtp status'],
      ['r1>$', 'e'],
      ['r1>$', 'enable'],
      ['Password: $', 'wrong'],
      ['Password: $', 'lab-enable'],
      ['r1#$', 'configure terminal'],
      ['r1\\(config\\)#$', 'username newuser privilege 15 secret new-secret'],
      ['r1\\(config\\)#$', 'interface lo0'],
      ['r1\\(config-if\\)#$', 'ipv6 address 2001:db8:99::1/128'],
      ['r1\\(config-if\\)#$', 'end'],
      ['r1#$', 'terminal length 0'],
      ['r1#$', 'show running-config | begin interface Loopback0'],
      ['r1#$', 'exit'],
    ]);
    // The caret sits under the first bad character of the echoed line, after the 3-character prompt.
    expect(out).toContain("r1>show running-config\r\n        ^\r\n% Invalid input detected at '^' marker.");
    expect(out).toContain("r1>show vtp status\r\n        ^\r\n% Invalid input detected at '^' marker.");
    expect(out).toContain('% Ambiguous command:  "e"');
    expect(out).toContain('% Access denied');
    expect(out).toContain('Enter configuration commands, one per line.  End with CNTL/Z.');
    expect(out).toMatch(
      /interface Loopback0\r\n ip address 10\.254\.254\.1 255\.255\.255\.255\r\n ipv6 address fd00:254::1\/128\r\n ipv6 address 2001:db8:99::1\/128\r\n/,
    );
    expect(await sshExec('::1', ios.ports.ssh, 'show privilege', 'newuser', 'new-secret')).toBe(
      'Current privilege level is 15\r\n',
    );
  });
});

describe('reload, seen from SSH and from the console line', () => {
  it('IOS: SSH drops, the console shows the boot, the device comes back with its startup config', async () => {
    const ios = lab.devices[0]!;
    const ssh = sshInteractive('127.0.0.1', ios.ports.ssh, [
      ['r1#$', 'show clock'],
      ['closed|reset', null],
    ]);
    await commandSeen(ios, 'show clock');
    const consoleOut = await telnetInteractive('127.0.0.1', ios.ports.console, [
      ['Escape character', ''],
      ['Username: $', 'admin'],
      ['Password: $', password],
      ['r1#$', 'configure terminal'],
      ['\\(config\\)#$', 'hostname unsaved'],
      ['\\(config\\)#$', 'end'],
      ['unsaved#$', 'reload'],
      ['Save\\? \\[yes/no\\]: $', 'maybe'],
      ['Save\\? \\[yes/no\\]: $', 'no'],
      ['\\[confirm\\]$', ''],
      ['Press RETURN to get started!', ''],
      ['Username: $', 'admin'],
      ['Password: $', password],
      ['r1#$', 'exit'],
      ['Press RETURN to get started', null],
    ]);
    expect(consoleOut).toContain("% Please answer 'yes' or 'no'.");
    expect(consoleOut).toContain('%SYS-5-RELOAD: Reload requested by console');
    expect(consoleOut).toContain('System Bootstrap, Version 15.0(1r)M16');
    await ssh;
    expect(await sshExec('::1', ios.ports.ssh, 'show running-config | include ^hostname')).toBe(
      'hostname r1\r\n',
    );
  });

  it('NX-OS: after write erase and reload the console walks through POAP and the admin dialog, then a restore brings SSH back', async () => {
    const nxos = lab.devices[1]!;
    await sshInteractive('::1', nxos.ports.ssh, [
      ['r2# $', 'copy running-config bootflash:backup.cfg'],
      ['r2# $', 'copy bootflash:backup.cfg startup-config'],
      ['r2# $', 'exit'],
    ]).then((out) =>
      expect(out).toContain(
        "This command is deprecated. To obtain the same results, please use\r\nthe sequence 'write erase' + 'reload' + 'copy  running-config' +\r\n'copy running-config startup-config'.",
      ),
    );
    const consoleOut = await telnetInteractive('::1', nxos.ports.console, [
      ['Escape character', ''],
      ['login: $', 'admin'],
      ['Password: $', password],
      ['r2# $', 'write erase'],
      ['\\(y/n\\)  \\[n\\] $', 'y'],
      ['r2# $', 'reload'],
      ['\\(y/n\\)\\?  \\[n\\] $', 'y'],
      ['\\(yes/skip/no\\)\\[no\\]: $', ''],
      ['\\(yes/skip/no\\)\\[no\\]: $', 'yes'],
      ['\\[y\\]: $', 'no'],
      ['"admin": $', 'first-boot'],
      ['"admin": $', 'first-boot'],
      ['configuration dialog \\(yes/no\\): $', 'no'],
      ['switch login: $', 'admin'],
      ['Password: $', 'first-boot'],
      ['switch# $', 'copy bootflash:backup.cfg running-config'],
      ['r2# $', 'copy running-config startup-config'],
      ['Copy complete.\\r\\n.*r2# $', 'exit'],
      ['r2 login: $', null],
    ]);
    expect(consoleOut).toContain('System Admin Account Setup');
    expect(consoleOut).not.toContain('first-boot');
    expect(await sshExec('127.0.0.1', nxos.ports.ssh, 'show startup-config | include ^hostname')).toBe(
      'hostname r2\r\n',
    );
  });

  it('IOS: after write erase and reload the console shows the System Configuration Dialog and the device is unconfigured', async () => {
    const ios = lab.devices[0]!;
    const consoleOut = await telnetInteractive('::1', ios.ports.console, [
      ['Escape character', ''],
      ['Username: $', 'admin'],
      ['Password: $', password],
      ['r1#$', 'write erase'],
      ['Continue\\? \\[confirm\\]$', ''],
      ['r1#$', 'reload'],
      ['Save\\? \\[yes/no\\]: $', 'no'],
      ['\\[confirm\\]$', ''],
      ['initial configuration dialog\\? \\[yes/no\\]: $', 'no'],
      ['terminate autoinstall\\? \\[yes\\]: $', ''],
      ['Press RETURN to get started!', ''],
      ['Router>$', 'enable'],
      ['Router#$', 'show startup-config'],
      ['Router#$', 'exit'],
      ['Press RETURN to get started', null],
    ]);
    expect(consoleOut).toContain('Erase of nvram: complete');
    expect(consoleOut).toContain('--- System Configuration Dialog ---');
    expect(consoleOut).toContain('startup-config is not present');
    // No users: SSH and telnet turn connections away until the device is configured again.
    await expect(sshExec('127.0.0.1', ios.ports.ssh, 'show clock')).rejects.toThrow();
  });
});
