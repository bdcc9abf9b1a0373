/**
 * The console line stays up while the device reloads: erase, reload, answer the boot dialogs the
 * simulator shows (device-reference §3), and reach the default prompt again on the same TCP session.
 */
import { expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { openCliSession } from '../../src/platforms/session.js';
import { useStateDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost } from './lab-hosts.js';

useStateDir();
const lab = useLoopbackLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false });

it.each(['ios', 'nxos'])(
  '%s: erase and reload over the console, then work on the same session',
  async (platform) => {
    const device = lab.devices.find((d) => d.platform === platform) as LabDevice;
    const host = { ...labHost(lab, device), console: { host: '::1', port: device.ports.console } };
    const session = await openCliSession({
      host,
      secret: async (ref) => ('value' in ref ? ref.value : ''),
      via: 'console',
      timeouts: { loginMs: 10_000, commandMs: 10_000 },
    });
    try {
      const transport = session.channel.transport;
      await session.dialog(session.platform.erase ?? { command: '', steps: [] });
      await session.reload({ bootTimeoutMs: 20_000 });
      expect(session.channel.transport).toBe(transport);
      expect(transport.isAlive()).toBe(true);
      expect(session.privilege).toBe('privilege-exec');
      const running = await session.send('show running-config');
      expect(running.text).not.toContain(`hostname ${device.name}`);
    } finally {
      await session.close();
    }
  },
);
