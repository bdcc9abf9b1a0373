/**
 * The simulated IOS `configure replace` typed by a person over OpenSSH: the confirmation dialog,
 * the passes, a partial file refused, and a refused line with and without `revert trigger error`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { useStarted } from '../helpers/fixture.js';
import { smallLab, sshInteractive } from './lab-peers.js';

const lab = useStarted(() => smallLab());
let r1: LabDevice;
beforeAll(() => {
  r1 = lab.devices[0]!;
});

/** A complete config with the device's own accounts (without them nobody could log in again). */
const config = (...lines: string[]) => {
  const accounts = r1.device
    .body()
    .split('\n')
    .filter((l) => /^(username|enable secret) /.test(l));
  return Buffer.from(['!', 'hostname r1', ...accounts, ...lines, '!', 'end', ''].join('\n'));
};
const replace = (command: string, answer?: string) =>
  sshInteractive('127.0.0.1', r1.ports.ssh, [
    ['r1#$', command],
    ...(answer === undefined ? [] : ([['\\[no\\]: $', answer]] as const)),
    ['r1#$', 'exit'],
  ]);

describe('configure replace on simulated IOS', () => {
  it('asks first without force; "no" changes nothing, "Y" replaces the running config', async () => {
    r1.device.writeFile(
      'flash:new.cfg',
      config('interface Loopback9', ' ip address 192.0.2.9 255.255.255.255'),
    );
    const before = r1.device.body();
    const declined = await replace('configure replace flash:new.cfg', 'no');
    expect(declined).toContain('Enter Y if you are sure you want to proceed. ? [no]: ');
    expect(r1.device.body()).toBe(before);

    const done = await replace('configure replace flash:new.cfg', 'Y');
    expect(done).toMatch(/Total number of passes: 1\r\nRollback Done/);
    expect(r1.device.body()).toContain('interface Loopback9\n ip address 192.0.2.9 255.255.255.255\n');
    // Gone: everything the file does not have, except the physical interfaces, which stay bare.
    expect(r1.device.body()).not.toContain('interface Loopback0');
    expect(r1.device.body()).toMatch(/interface GigabitEthernet0\/0\n no ip address\n/);
  });

  it('refuses a file that is not a complete config', async () => {
    r1.device.writeFile('flash:partial.cfg', Buffer.from('hostname other\n'));
    const before = r1.device.body();
    const out = await replace('configure replace flash:partial.cfg force');
    expect(out).toContain('%The input file is not a valid config file.');
    expect(r1.device.body()).toBe(before);
  });

  it('with revert trigger error, a refused line restores the previous running config', async () => {
    r1.device.writeFile('flash:bad.cfg', config('vpc domain 10', 'interface Loopback7'));
    const before = r1.device.body();
    const out = await replace('configure replace flash:bad.cfg force revert trigger error');
    expect(out).toContain('Failed to apply command vpc domain 10');
    expect(out).toMatch(/Rollback failed\.Reverting back to the original configuration: \S+/);
    expect(r1.device.body()).toBe(before);
  });

  it('without a revert trigger it gives up after its passes with the other lines applied', async () => {
    r1.device.writeFile('flash:bad2.cfg', config('vpc domain 10', 'interface Loopback8'));
    const out = await replace('configure replace flash:bad2.cfg force');
    expect(out).toMatch(/!List of Rollback Commands:\r\nvpc domain 10\r\nend/);
    expect(out).toContain('Rollback aborted after 5 passes');
    expect(r1.device.body()).toContain('interface Loopback8');
    expect(r1.device.body()).not.toContain('vpc domain');
  });
});
