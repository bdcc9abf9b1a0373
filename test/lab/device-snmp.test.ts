import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStarted } from '../helpers/fixture.js';
import { configBody, run, smallLab, sshExec } from './lab-peers.js';
import { startTftpd } from './snmp-peers.js';

const entPhysicalSerialNum = '1.3.6.1.2.1.47.1.1.1.1.11';
const ccCopyEntry = '1.3.6.1.4.1.9.9.96.1.1.1.1';

const tftpd = useStarted(() => startTftpd('::1'));
const lab = useStarted(() => smallLab({ snmp: true, tftpPort: tftpd.port }));

describe('the lab devices answer SNMP from their own model', () => {
  for (const transport of ['udp:127.0.0.1', 'udp6:[::1]']) {
    it(`snmpbulkwalk over ${transport.split(':')[0]} returns the ENTITY serials that show inventory prints`, async () => {
      const nxos = lab.devices[1]!;
      const { stdout } = await run('snmpbulkwalk', [
        '-v2c',
        '-c',
        'lab-ro',
        '-On',
        '-Oq',
        `${transport}:${nxos.ports.snmp}`,
        entPhysicalSerialNum,
      ]);
      const serials = stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[1]!.replace(/"/g, ''))
        .filter(Boolean);
      const inventory = await sshExec('127.0.0.1', nxos.ports.ssh, 'show inventory');
      const shown = [...inventory.matchAll(/SN: (\S+)/g)].map((m) => m[1]);
      // The walk is in index order (chassis 149 after the modules 23..28), show inventory in chassis order.
      expect([...serials].sort()).toEqual([...shown].sort());
      expect(serials).toHaveLength(10);
      expect(stdout).toContain(`${entPhysicalSerialNum}.149 `);
    });
  }

  it('snmpset of a ccCopyTable row uploads running-config to tftpd-hpa, identical to show running-config', async () => {
    const ios = lab.devices[0]!;
    const i = 4242;
    const col = (n: number) => `${ccCopyEntry}.${n}.${i}`;
    const target = `udp6:[::1]:${ios.ports.snmp}`;
    await run('snmpset', [
      '-v2c',
      '-c',
      'lab-rw',
      target,
      col(2),
      'i',
      '1',
      col(3),
      'i',
      '4',
      col(4),
      'i',
      '1',
      col(15),
      'i',
      '2',
      col(16),
      'x',
      '00000000000000000000000000000001',
      col(6),
      's',
      'snmp-r1-confg',
      col(14),
      'i',
      '4',
    ]);
    let state = '';
    for (let tries = 0; tries < 100 && !['3', '4'].includes(state); tries++) {
      state = (await run('snmpget', ['-v2c', '-c', 'lab-ro', '-Oqv', target, col(10)])).stdout.trim();
      if (!['3', '4'].includes(state)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe('3');
    const shown = await sshExec('127.0.0.1', ios.ports.ssh, 'show running-config');
    expect((await readFile(join(tftpd.dir, 'snmp-r1-confg'))).toString()).toBe(configBody(shown));
    expect(ios.device.log.some((e) => e.via === 'snmp')).toBe(true);
  });
});
