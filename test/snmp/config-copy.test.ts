/**
 * The SET PDU of a CISCO-CONFIG-COPY-MIB copy (device-reference.md §6). The exchange with an agent
 * is tested against the lab's simulated devices (test/lab); this checks the PDU devices depend on.
 */
import { describe, expect, it } from 'vitest';
import { copyRowVarbinds } from '../../src/snmp/config-copy.js';

const entry = '1.3.6.1.4.1.9.9.96.1.1.1.1';

describe('copyRowVarbinds', () => {
  it('sends running-config to an IPv4 TFTP server with the .5 column and createAndGo last', () => {
    const varbinds = copyRowVarbinds(4242, {
      source: 'runningConfig',
      dest: 'networkFile',
      server: '192.0.2.10',
      fileName: 'r1-confg',
    });
    expect(varbinds.map((v) => [v.oid, v.value])).toEqual([
      [`${entry}.2.4242`, 1],
      [`${entry}.3.4242`, 4],
      [`${entry}.4.4242`, 1],
      [`${entry}.5.4242`, '192.0.2.10'],
      [`${entry}.6.4242`, 'r1-confg'],
      [`${entry}.14.4242`, 4],
    ]);
  });

  it('uses ccCopyServerAddressType/Rev1 with 16 raw octets for IPv6', () => {
    const varbinds = copyRowVarbinds(7, {
      source: 'runningConfig',
      dest: 'networkFile',
      server: '2001:db8::a',
      fileName: 'r1-confg',
    });
    const byColumn = new Map(varbinds.map((v) => [Number(v.oid.split('.').at(-2)), v.value]));
    expect(byColumn.get(15)).toBe(2);
    expect(Buffer.from(byColumn.get(16) as Buffer).toString('hex')).toBe('20010db800000000000000000000000a');
    expect(byColumn.has(5)).toBe(false);
    expect(varbinds.at(-1)?.oid).toBe(`${entry}.14.7`);
  });

  it('saves running to startup without address or file name', () => {
    const varbinds = copyRowVarbinds(9, { source: 'runningConfig', dest: 'startupConfig' });
    expect(varbinds.map((v) => v.oid.split('.').at(-2))).toEqual(['2', '3', '4', '14']);
  });
});
