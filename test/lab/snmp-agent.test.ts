/**
 * The simulated device's SNMP agent as net-snmp's command-line tools see it: system group and
 * ENTITY-MIB over udp and udp6, v3 authPriv, and faults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startSnmpAgent } from '../../src/lab/snmp/agent.js';
import { useStarted } from '../helpers/fixture.js';
import { entity, parseValues, snmp, TestDevice } from './snmp-peers.js';

const v3 = { name: 'netops', authKey: 'auth-pass-123', privKey: 'priv-pass-456' };
const entPhysicalEntry = '1.3.6.1.2.1.47.1.1.1.1';

describe('SNMP agent of a simulated device', () => {
  const device = new TestDevice();
  const agent = useStarted(() =>
    startSnmpAgent(device, {
      address: ['127.0.0.1', '::1'],
      port: 0,
      communities: { read: ['public'], write: ['private'] },
      v3Users: [{ ...v3, level: 'authPriv', authProtocol: 'sha', privProtocol: 'aes' }],
    }),
  );
  const v2 = (target: string) => ['-v2c', '-c', 'public', target];
  let udp4: string;
  let udp6: string;

  beforeAll(() => {
    udp4 = `udp:127.0.0.1:${agent.port}`;
    udp6 = `udp6:[::1]:${agent.port}`;
  });

  it('listens on both families with one port', () => {
    expect(agent.addresses).toEqual([
      { address: '127.0.0.1', port: agent.port },
      { address: '::1', port: agent.port },
    ]);
  });

  it('refuses a port another agent holds, naming it', async () => {
    const taken = startSnmpAgent(device, {
      address: '::1',
      port: agent.port,
      communities: { read: ['x'], write: [] },
    });
    await expect(taken).rejects.toMatchObject({
      code: 'LAB_FAILED',
      message: expect.stringContaining(`port ${agent.port}`),
    });
  });

  it.each(['udp', 'udp6'])('answers the system group over %s', async (transport) => {
    const target = transport === 'udp' ? udp4 : udp6;
    const r = await snmp('snmpget', [
      ...v2(target),
      '1.3.6.1.2.1.1.1.0',
      '1.3.6.1.2.1.1.2.0',
      '1.3.6.1.2.1.1.5.0',
      '1.3.6.1.2.1.1.7.0',
    ]);
    expect(r.stderr).toBe('');
    const values = parseValues(r.stdout);
    expect(values.get('1.3.6.1.2.1.1.1.0')).toMatch(/^Cisco IOS Software \[Fuji\].*Version 16\.9\.4/);
    expect(values.get('1.3.6.1.2.1.1.2.0')).toBe('.1.3.6.1.4.1.9.1.1861');
    expect(values.get('1.3.6.1.2.1.1.5.0')).toBe('r1.example.net');
    expect(values.get('1.3.6.1.2.1.1.7.0')).toBe('78');
  });

  it('walks the whole system group in order with sysUpTime as TimeTicks', async () => {
    const r = await snmp('snmpwalk', [...v2(udp4), '1.3.6.1.2.1.1']);
    const oids = [...parseValues(r.stdout).keys()];
    expect(oids).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `1.3.6.1.2.1.1.${n}.0`));
    expect(r.stdout).toMatch(/\.1\.3\.6\.1\.2\.1\.1\.3\.0 = Timeticks: \(\d+\)/);
  });

  it.each(['udp', 'udp6'])(
    'returns every ENTITY row with its serial to snmpbulkwalk over %s',
    async (transport) => {
      const r = await snmp('snmpbulkwalk', [
        ...v2(transport === 'udp' ? udp4 : udp6),
        '-Cr3',
        entPhysicalEntry,
      ]);
      expect(r.code).toBe(0);
      const values = parseValues(r.stdout);
      expect(values.size).toBe(4 * 15);
      expect(values.get(`${entPhysicalEntry}.11.1`)).toBe('FDO2101A0B1');
      expect(values.get(`${entPhysicalEntry}.11.3`)).toBe('PST2101A0C2');
      expect(values.get(`${entPhysicalEntry}.13.4`)).toBe('ACS-4330-FANASSY');
      expect(values.get(`${entPhysicalEntry}.3.1`)).toBe('.1.3.6.1.4.1.9.12.3.1.3.1649');
      expect(values.get(`${entPhysicalEntry}.5.3`)).toBe('6');
      expect(values.get(`${entPhysicalEntry}.6.1`)).toBe('-1');
      expect(values.get(`${entPhysicalEntry}.16.1`)).toBe('2');
      expect(values.get(`${entPhysicalEntry}.16.3`)).toBe('1');
    },
  );

  it('reads a serial at request time, after the device swapped a part', async () => {
    const original = device.entityRows;
    device.entityRows = original.map((row) =>
      row.index === 3 ? { ...row, serialNum: 'PST2299RMA01' } : row,
    );
    device.entityRows.push(entity(5, { descr: 'Second power supply', class: 6, serialNum: 'PST2299NEW02' }));
    try {
      const r = await snmp('snmpbulkwalk', [...v2(udp4), `${entPhysicalEntry}.11`]);
      expect([...parseValues(r.stdout).values()]).toEqual([
        'FDO2101A0B1',
        '',
        'PST2299RMA01',
        'FAN2101A0D3',
        'PST2299NEW02',
      ]);
    } finally {
      device.entityRows = original;
    }
  });

  it('answers GETBULK with non-repeaters and max-repetitions for every repeater (RFC 3416 §4.2.3)', async () => {
    const r = await snmp('snmpbulkget', [
      ...v2(udp4),
      '-Cn1',
      '-Cr3',
      '1.3.6.1.2.1.1.3',
      `${entPhysicalEntry}.7`,
      `${entPhysicalEntry}.11`,
    ]);
    expect([...parseValues(r.stdout).keys()]).toEqual([
      '1.3.6.1.2.1.1.3.0',
      `${entPhysicalEntry}.7.1`,
      `${entPhysicalEntry}.11.1`,
      `${entPhysicalEntry}.7.2`,
      `${entPhysicalEntry}.11.2`,
      `${entPhysicalEntry}.7.3`,
      `${entPhysicalEntry}.11.3`,
    ]);
  });

  it('speaks SNMPv1 too, with noSuchName for a missing object', async () => {
    const ok = await snmp('snmpget', ['-v1', '-c', 'public', udp4, '1.3.6.1.2.1.1.5.0']);
    expect(parseValues(ok.stdout).get('1.3.6.1.2.1.1.5.0')).toBe('r1.example.net');
    const missing = await snmp('snmpget', [
      '-v1',
      '-c',
      'public',
      udp4,
      '1.3.6.1.2.1.1.5.0',
      '1.3.6.1.2.1.1.9.0',
    ]);
    expect(missing.stderr).toMatch(/There is no such variable name in this MIB/);
    expect(missing.stderr).toContain('Failed object: .1.3.6.1.2.1.1.9.0');
  });

  it('tells a missing instance from a missing object, and ends the MIB view', async () => {
    const r = await snmp('snmpget', [...v2(udp4), `${entPhysicalEntry}.11.99`, '1.3.6.1.2.1.2.1.0']);
    expect(r.stdout).toContain(`.${entPhysicalEntry}.11.99 = No Such Instance currently exists at this OID`);
    expect(r.stdout).toContain('.1.3.6.1.2.1.2.1.0 = No Such Object available on this agent at this OID');
    const next = await snmp('snmpgetnext', [...v2(udp4), '1.3.6.1.4.1.9.9.96.2']);
    expect(next.stdout).toContain('No more variables left in this MIB View');
  });

  it('drops requests with an unknown community', async () => {
    const r = await snmp('snmpget', ['-v2c', '-c', 'guess', udp4, '1.3.6.1.2.1.1.5.0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Timeout/);
  });

  it('answers SNMPv3 authPriv (SHA/AES) and refuses a wrong key', async () => {
    const auth = ['-v3', '-l', 'authPriv', '-u', v3.name, '-a', 'SHA', '-A', v3.authKey, '-x', 'AES'];
    const good = await snmp('snmpget', [...auth, '-X', v3.privKey, udp6, '1.3.6.1.2.1.1.5.0']);
    expect(good.stderr).toBe('');
    expect(parseValues(good.stdout).get('1.3.6.1.2.1.1.5.0')).toBe('r1.example.net');
    const wrongAuth = ['-v3', '-l', 'authPriv', '-u', v3.name, '-a', 'SHA', '-A', 'not-the-key', '-x', 'AES'];
    const bad = await snmp('snmpget', [...wrongAuth, '-X', v3.privKey, udp4, '1.3.6.1.2.1.1.5.0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).not.toContain('r1.example.net');
    // As from a router: a usmStatsWrongDigests report, not silence.
    expect(bad.stderr).toMatch(/Authentication failure/i);
    const wrongPriv = await snmp('snmpget', [...auth, '-X', 'not-the-priv-key', udp4, '1.3.6.1.2.1.1.5.0']);
    expect(wrongPriv.code).not.toBe(0);
    expect(wrongPriv.stdout).not.toContain('r1.example.net');
    const unknown = await snmp('snmpget', [
      ...auth,
      '-X',
      v3.privKey,
      '-u',
      'intruder',
      udp4,
      '1.3.6.1.2.1.1.5.0',
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/Unknown user name/i);
  });

  it('goes silent and comes back when the fault is cleared, and answers late when slowed', async () => {
    agent.setFaults({ silent: true });
    const silent = await snmp('snmpget', [...v2(udp4), '1.3.6.1.2.1.1.5.0']);
    expect(silent.stderr).toMatch(/Timeout/);
    agent.setFaults({ delayMs: 1500 });
    // One try of 1 s cannot see a 1.5 s answer; five tries of 1 s can.
    const late = await snmp('snmpget', [...v2(udp4), '-r', '0', '1.3.6.1.2.1.1.5.0']);
    expect(late.stderr).toMatch(/Timeout/);
    const patient = await snmp('snmpget', [...v2(udp4), '-t', '3', '1.3.6.1.2.1.1.5.0']);
    expect(parseValues(patient.stdout).get('1.3.6.1.2.1.1.5.0')).toBe('r1.example.net');
    agent.setFaults({});
  });
});
