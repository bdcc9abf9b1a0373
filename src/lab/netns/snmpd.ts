/**
 * net-snmp's snmpd as a device's SNMP agent on UDP 161 of its IPv4 and IPv6 addresses: the system
 * group from its own directives, and ENTITY-MIB entPhysicalTable rows (which Debian's snmpd does not
 * implement) as `override` objects, so snmpwalk/snmpbulkwalk walk them like any other table.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const snmpdBin = '/usr/sbin/snmpd';

export interface SnmpdOptions {
  readonly dir: string;
  readonly hostname: string;
  readonly addresses: readonly string[];
  readonly readCommunity: string;
  readonly descr: string;
}

interface Entity {
  readonly index: number;
  readonly descr: string;
  readonly containedIn: number;
  readonly class: number;
  readonly relPos: number;
  readonly name: string;
  readonly serial: string;
  readonly model: string;
  readonly fru: boolean;
}

const entPhysicalEntry = '.1.3.6.1.2.1.47.1.1.1.1';
const quote = (text: string) => `"${text.replace(/["\\]/g, '')}"`;

/** A serial number that stays the same for the same hostname, so inventories compare run to run. */
export function frrSerial(hostname: string): string {
  return `FRR${createHash('sha256').update(hostname).digest('hex').slice(0, 8).toUpperCase()}`;
}

export function frrEntities(hostname: string): Entity[] {
  const serial = frrSerial(hostname);
  return [
    {
      index: 1,
      descr: 'FRRouting virtual router',
      containedIn: 0,
      class: 3,
      relPos: -1,
      name: 'Chassis',
      serial,
      model: 'FRR-VM',
      fru: false,
    },
    {
      index: 2,
      descr: 'Virtual Ethernet',
      containedIn: 1,
      class: 10,
      relPos: 1,
      name: 'eth0',
      serial: '',
      model: '',
      fru: false,
    },
  ];
}

function entityLines(hostname: string, software: string): string[] {
  return frrEntities(hostname).flatMap((e) => {
    const row = (column: number, type: string, value: string | number) =>
      `override ${entPhysicalEntry}.${column}.${e.index} ${type} ${value}`;
    return [
      row(2, 'octet_str', quote(e.descr)),
      row(3, 'object_id', '.0.0'),
      row(4, 'integer', e.containedIn),
      row(5, 'integer', e.class),
      row(6, 'integer', e.relPos),
      row(7, 'octet_str', quote(e.name)),
      row(8, 'octet_str', quote('')),
      row(9, 'octet_str', quote('')),
      row(10, 'octet_str', quote(e.class === 3 ? software : '')),
      row(11, 'octet_str', quote(e.serial)),
      row(12, 'octet_str', quote('FRRouting')),
      row(13, 'octet_str', quote(e.model)),
      row(14, 'octet_str', quote('')),
      row(15, 'octet_str', quote('')),
      row(16, 'integer', e.fru ? 1 : 2),
    ];
  });
}

/** Writes snmpd.conf; returns the argv to run snmpd in the foreground with no MIB files loaded. */
export async function prepareSnmpd(options: SnmpdOptions): Promise<string[]> {
  const conf = path.join(options.dir, 'snmpd.conf');
  const transports = options.addresses.map((a) => (a.includes(':') ? `udp6:[${a}]:161` : `udp:${a}:161`));
  const lines = [
    `agentAddress ${transports.join(',')}`,
    `rocommunity ${options.readCommunity} default`,
    `rocommunity6 ${options.readCommunity} default`,
    `sysDescr ${options.descr}`,
    `sysName ${options.hostname}`,
    'sysLocation netops netns lab',
    'sysContact lab@example.net',
    'sysObjectID .1.3.6.1.4.1.8072.3.2.10',
    'sysServices 78',
    ...entityLines(options.hostname, options.descr),
  ];
  await writeFile(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
  // -C: only this file; -m '': no MIB files (numeric OIDs only, and no warnings about them);
  // -I -smux: no SMUX listener on TCP 199, a device answers SNMP on UDP 161 only.
  return [
    snmpdBin,
    '-f',
    '-C',
    '-c',
    conf,
    '-m',
    '',
    '-I',
    '-smux',
    '-Lo',
    '-p',
    path.join(options.dir, 'snmpd.pid'),
  ];
}
