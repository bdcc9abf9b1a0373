/**
 * The ios and nxos platforms against the lab simulators (which follow device-reference.md on their
 * own), over SSH, Telnet and the console line, on IPv4 and IPv6 with literal and bracketed
 * addresses: login, enable, show running-config, config lines, a refused line, save.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host, SecretRef } from '../../src/config/model.js';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { openCliSession } from '../../src/platforms/session.js';
import { useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost } from './lab-hosts.js';
import type { TransportKind } from '../../src/transport/transport.js';

const lab = useLoopbackLab({
  devices: 2,
  platforms: ['ios', 'nxos'],
  bootMs: 200,
  snmp: false,
  configBytes: 20_000,
});
const knownHosts = path.join(useTempDir('netops-kh-'), 'known-hosts');
const secret = async (ref: SecretRef) => ('value' in ref ? ref.value : '');

function hostFor(device: LabDevice, via: TransportKind, address: string, bracketed: boolean): Host {
  const port = via === 'ssh' ? device.ports.ssh : device.ports.telnet;
  const text = bracketed ? (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`) : address;
  return {
    ...labHost(lab, device, text),
    port: bracketed ? undefined : port,
    transport: via === 'console' ? 'telnet' : via,
    console: { host: address, port: device.ports.console },
  };
}

const cases = (['ssh', 'telnet', 'console'] as const).flatMap((via) =>
  (['127.0.0.1', '::1'] as const).flatMap(
    (address) =>
      [
        [via, address, false],
        [via, address, true],
      ] as const,
  ),
);

describe.each(['ios', 'nxos'] as const)('%s simulator', (platform) => {
  it.each(cases)('over %s to %s (bracketed with port: %s)', async (via, address, bracketed) => {
    const device = lab.devices.find((d) => d.platform === platform) as LabDevice;
    const session = await openCliSession({
      host: hostFor(device, via, address, bracketed),
      secret,
      via,
      knownHostsFile: knownHosts,
      timeouts: { loginMs: 10_000, commandMs: 10_000 },
    });
    try {
      expect(session.privilege).toBe('privilege-exec');
      const running = await session.send('show running-config');
      expect(running.text).toContain(`hostname ${device.name}`);
      expect(running.text.length).toBeGreaterThan(15_000);
      if (platform === 'ios') expect(running.text.trimEnd().endsWith('end')).toBe(true);
      await session.sendConfig(['interface Loopback99', ` description netops ${via}`]);
      expect((await session.send('show running-config')).text).toContain(` description netops ${via}`);
      const refused = (await session
        .sendConfig(['ip domain-name lab.example', 'frobnicate now'])
        .catch((e: unknown) => e)) as {
        code: string;
        message: string;
      };
      expect(refused.code).toBe('COMMAND_REJECTED');
      expect(refused.message).toMatch(/line 2 "frobnicate now".*% Invalid/);
      expect(session.privilege).toBe('privilege-exec');
      const saved = await session.dialog(session.platform.save);
      expect(saved.text).toMatch(/\[OK\]|Copy complete/);
    } finally {
      await session.close();
    }
  });
});
