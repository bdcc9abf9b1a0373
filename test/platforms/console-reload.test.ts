/**
 * The console line stays up while the device reloads: erase, reload, answer the boot dialogs the
 * simulator shows (device-reference §3), and reach the default prompt again on the same TCP session.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLoopbackLab, type Lab, type LabDevice } from '../../src/lab/loopback-lab.js';
import { openCliSession } from '../../src/platforms/session.js';
import { labHost } from './lab-hosts.js';

let lab: Lab;

beforeAll(async () => {
  process.env['NETOPS_STATE_DIR'] = mkdtempSync(path.join(os.tmpdir(), 'netops-state-'));
  lab = await startLoopbackLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false });
});
afterAll(() => lab?.close());

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
