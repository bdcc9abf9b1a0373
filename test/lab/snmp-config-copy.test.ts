/**
 * CISCO-CONFIG-COPY-MIB on the simulated device, driven by net-snmp's snmpset/snmpget the way
 * backup tools drive a router, with the upload received by Debian's tftpd-hpa.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSnmpAgent } from '../../src/lab/snmp/agent.js';
import { useStarted } from '../helpers/fixture.js';
import { parseValues, runningConfig, snmp, startTftpd, TestDevice } from './snmp-peers.js';

const entry = '1.3.6.1.4.1.9.9.96.1.1.1.1';
const col = (n: number, index: number) => `${entry}.${n}.${index}`;
const rowStatus = { active: 1, notInService: 2, notReady: 3, createAndGo: 4, createAndWait: 5, destroy: 6 };
const copyState = { waiting: '1', running: '2', successful: '3', failed: '4' };

describe('ccCopyTable of a simulated device', () => {
  const device = new TestDevice();
  const tftp4 = useStarted(() => startTftpd('127.0.0.1'));
  const tftp6 = useStarted(() => startTftpd('::1'));
  beforeAll(() => {
    device.tftpServers.set('127.0.0.1', tftp4.port).set('::1', tftp6.port);
  });
  const agent = useStarted(() =>
    startSnmpAgent(device, {
      address: ['127.0.0.1', '::1'],
      port: 0,
      communities: { read: ['public'], write: ['private'] },
      v3Users: [{ name: 'ops', level: 'authPriv', authKey: 'auth-pass-123', privKey: 'priv-pass-456' }],
    }),
  );
  let nextIndex = 1000;
  const index = () => nextIndex++ * 7919;

  const set = (...varbinds: string[]) =>
    snmp('snmpset', ['-v2c', '-c', 'private', `udp:127.0.0.1:${agent.port}`, ...varbinds]);
  const get = async (...oids: string[]) =>
    parseValues(
      (await snmp('snmpget', ['-v2c', '-c', 'public', `udp6:[::1]:${agent.port}`, ...oids])).stdout,
    );

  /** Polls ccCopyState about every 100 ms, as tools do every second, until the copy is over. */
  async function finished(i: number): Promise<Map<string, string>> {
    for (let tries = 0; tries < 150; tries++) {
      const values = await get(col(10, i), col(11, i), col(12, i), col(13, i));
      const state = values.get(col(10, i));
      if (state === copyState.successful || state === copyState.failed) return values;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`copy ${i} did not finish`);
  }

  /** The one-PDU backup of running-config to TFTP, columns first and createAndGo last (Cisco tools). */
  const backup = (i: number, address: string[], file: string) =>
    set(
      col(2, i),
      'i',
      '1',
      col(3, i),
      'i',
      '4',
      col(4, i),
      'i',
      '1',
      ...address,
      col(6, i),
      's',
      file,
      col(14, i),
      'i',
      String(rowStatus.createAndGo),
    );

  it('uploads running-config to an IPv4 server set with ccCopyServerAddressType/Rev1 in one createAndGo PDU', async () => {
    const i = index();
    const r = await backup(i, [col(15, i), 'i', '1', col(16, i), 'x', '7F000001'], 'r1-confg');
    expect(r.stderr).toBe('');
    const done = await finished(i);
    expect(done.get(col(10, i))).toBe(copyState.successful);
    expect(done.get(col(13, i))).toMatch(/No Such Instance/);
    expect(Number(done.get(col(12, i))?.match(/\((\d+)\)/)?.[1])).toBeGreaterThanOrEqual(
      Number(done.get(col(11, i))?.match(/\((\d+)\)/)?.[1]),
    );
    expect(await readFile(join(tftp4.dir, 'r1-confg'))).toEqual(runningConfig);
    expect(device.requests.at(-1)).toEqual({
      protocol: 'tftp',
      source: 'runningConfig',
      dest: 'networkFile',
      server: { family: 4, address: '127.0.0.1' },
      filename: 'r1-confg',
    });
    const row = await get(col(14, i), col(6, i), col(8, i));
    expect(row.get(col(14, i))).toBe(String(rowStatus.active));
    expect(row.get(col(6, i))).toBe('r1-confg');
  });

  it('accepts the deprecated ccCopyServerAddress and shows it in .15/.16', async () => {
    const i = index();
    expect((await backup(i, [col(5, i), 'a', '127.0.0.1'], 'old-tool-confg')).stderr).toBe('');
    const typed = await get(col(15, i), col(16, i), col(5, i));
    expect(typed.get(col(15, i))).toBe('1');
    expect(typed.get(col(16, i))?.trim()).toBe('7F 00 00 01');
    expect(typed.get(col(5, i))).toBe('127.0.0.1');
    expect((await finished(i)).get(col(10, i))).toBe(copyState.successful);
    expect(await readFile(join(tftp4.dir, 'old-tool-confg'))).toEqual(runningConfig);
  });

  it('uploads to an IPv6 server (.15 = ipv6, .16 = 16 octets)', async () => {
    const i = index();
    const loopback6 = '00000000000000000000000000000001';
    expect((await backup(i, [col(15, i), 'i', '2', col(16, i), 'x', loopback6], 'r1-v6-confg')).stderr).toBe(
      '',
    );
    expect((await finished(i)).get(col(10, i))).toBe(copyState.successful);
    expect(device.requests.at(-1)?.server).toEqual({ family: 6, address: '::1' });
    expect(await readFile(join(tftp6.dir, 'r1-v6-confg'))).toEqual(runningConfig);
    expect((await get(col(5, i))).get(col(5, i))).toBe('0.0.0.0');
  });

  it('runs one copy at a time, and reports failed/timeout for a server that never answers', async () => {
    const silent = index();
    const queued = index();
    expect((await backup(silent, [col(5, silent), 'a', '127.0.0.2'], 'lost-confg')).stderr).toBe('');
    expect((await backup(queued, [col(5, queued), 'a', '127.0.0.1'], 'queued-confg')).stderr).toBe('');
    const during = await get(col(10, silent), col(10, queued));
    expect(during.get(col(10, silent))).toBe(copyState.running);
    expect(during.get(col(10, queued))).toBe(copyState.waiting);
    const failed = await finished(silent);
    expect(failed.get(col(10, silent))).toBe(copyState.failed);
    expect(failed.get(col(13, silent))).toBe('3');
    expect((await finished(queued)).get(col(10, queued))).toBe(copyState.successful);
    expect(device.maxRunning).toBe(1);
  });

  it('builds a row with createAndWait, columns, then active; and destroys it', async () => {
    const i = index();
    expect((await set(col(14, i), 'i', String(rowStatus.createAndWait))).stderr).toBe('');
    expect((await get(col(14, i))).get(col(14, i))).toBe(String(rowStatus.notReady));
    expect((await set(col(3, i), 'i', '4', col(4, i), 'i', '3')).stderr).toBe('');
    expect((await get(col(14, i))).get(col(14, i))).toBe(String(rowStatus.notInService));
    expect(device.requests.filter((r) => r.dest === 'startupConfig')).toHaveLength(0);
    expect((await set(col(14, i), 'i', String(rowStatus.active))).stderr).toBe('');
    expect((await finished(i)).get(col(10, i))).toBe(copyState.successful);
    expect(device.requests.at(-1)).toEqual({
      protocol: 'tftp',
      source: 'runningConfig',
      dest: 'startupConfig',
    });
    expect((await set(col(14, i), 'i', String(rowStatus.destroy))).stderr).toBe('');
    expect((await get(col(14, i))).get(col(14, i))).toBe('No Such Instance currently exists at this OID');
  });

  it('fails an ftp copy with unsupportedProtocol without asking the device', async () => {
    const i = index();
    const asked = device.requests.length;
    const r = await set(
      col(2, i),
      'i',
      '2',
      col(3, i),
      'i',
      '4',
      col(4, i),
      'i',
      '1',
      col(5, i),
      'a',
      '127.0.0.1',
      col(6, i),
      's',
      'f',
      col(7, i),
      's',
      'u',
      col(8, i),
      's',
      'secret',
      col(14, i),
      'i',
      '4',
    );
    expect(r.stderr).toBe('');
    const done = await finished(i);
    expect(done.get(col(10, i))).toBe(copyState.failed);
    expect(done.get(col(13, i))).toBe('6');
    expect(device.requests).toHaveLength(asked);
    expect((await get(col(8, i))).get(col(8, i))).toBe('');
  });

  it('accepts a copy row over SNMPv3 authPriv', async () => {
    const i = index();
    const v3 = [
      '-v3',
      '-l',
      'authPriv',
      '-u',
      'ops',
      '-a',
      'SHA',
      '-A',
      'auth-pass-123',
      '-x',
      'AES',
      '-X',
      'priv-pass-456',
    ];
    const r = await snmp('snmpset', [
      ...v3,
      `udp6:[::1]:${agent.port}`,
      col(3, i),
      'i',
      '4',
      col(4, i),
      'i',
      '3',
      col(14, i),
      'i',
      '4',
    ]);
    expect(r.stderr).toBe('');
    expect((await finished(i)).get(col(10, i))).toBe(copyState.successful);
  });

  describe('refuses bad requests with the SNMP error a manager can act on', () => {
    const failure = async (...varbinds: string[]) => {
      const r = await set(...varbinds);
      expect(r.code).not.toBe(0);
      return r.stderr;
    };

    it('inconsistentValue when both sides are networkFile, and nothing is created', async () => {
      const i = index();
      const err = await failure(
        col(3, i),
        'i',
        '1',
        col(4, i),
        'i',
        '1',
        col(5, i),
        'a',
        '127.0.0.1',
        col(6, i),
        's',
        'x',
        col(14, i),
        'i',
        '4',
      );
      expect(err).toMatch(/inconsistentValue/);
      expect(err).toContain(`Failed object: .${col(14, i)}`);
      expect((await get(col(14, i))).get(col(14, i))).toMatch(/No Such Instance/);
    });

    it('inconsistentValue when a networkFile copy has no server address at activation', async () => {
      const i = index();
      expect(
        await failure(
          col(3, i),
          'i',
          '4',
          col(4, i),
          'i',
          '1',
          col(6, i),
          's',
          'r1-confg',
          col(14, i),
          'i',
          '4',
        ),
      ).toMatch(/inconsistentValue/);
      expect(
        (await set(col(14, i), 'i', '5', col(3, i), 'i', '4', col(4, i), 'i', '1', col(6, i), 's', 'f'))
          .stderr,
      ).toBe('');
      expect(await failure(col(14, i), 'i', '1')).toMatch(/inconsistentValue/);
    });

    it('noCreation for an index outside 1..2147483647', async () => {
      expect(await failure(col(14, 0), 'i', '4')).toMatch(/noCreation/);
      expect(await failure(`${col(14, 5)}.1`, 'i', '4')).toMatch(/noCreation/);
    });

    it('wrongValue, wrongType and inconsistentName for bad values and rows that do not exist', async () => {
      const i = index();
      expect(await failure(col(3, i), 'i', '9', col(14, i), 'i', '5')).toMatch(/wrongValue/);
      expect(await failure(col(5, i), 'a', '0.0.0.0', col(14, i), 'i', '5')).toMatch(/wrongValue/);
      expect(await failure(col(3, i), 's', 'running', col(14, i), 'i', '5')).toMatch(/wrongType/);
      expect(await failure(col(14, i), 'i', '7')).toMatch(/wrongValue/);
      expect(await failure(col(6, i), 's', 'no-row-yet')).toMatch(/inconsistentName/);
    });

    it('an active row can only be destroyed', async () => {
      const i = index();
      expect((await set(col(3, i), 'i', '4', col(4, i), 'i', '3', col(14, i), 'i', '4')).stderr).toBe('');
      await finished(i);
      expect(await failure(col(6, i), 's', 'changed')).toMatch(/inconsistentValue/);
      expect(await failure(col(14, i), 'i', '4')).toMatch(/inconsistentValue/);
      expect(await failure(col(14, i), 'i', '2')).toMatch(/wrongValue/);
      expect(await failure(col(10, i), 'i', '1')).toMatch(/notWritable/);
      expect((await set(col(14, i), 'i', '6')).stderr).toBe('');
    });

    it('noAccess for a read community, notWritable outside the copy table', async () => {
      const i = index();
      const r = await snmp('snmpset', [
        '-v2c',
        '-c',
        'public',
        `udp:127.0.0.1:${agent.port}`,
        col(14, i),
        'i',
        '5',
      ]);
      expect(r.stderr).toMatch(/noAccess/);
      expect(await failure('1.3.6.1.2.1.1.5.0', 's', 'hijacked')).toMatch(/notWritable/);
      expect((await get(col(14, i))).get(col(14, i))).toMatch(/No Such Instance/);
    });
  });
});
