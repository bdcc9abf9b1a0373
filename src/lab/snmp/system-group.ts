/** SNMPv2-MIB system group `1.3.6.1.2.1.1` (RFC 3418), read from the device at request time. */
import type { SystemInfo } from './device-view.js';
import { Asn, octets, integer, type MibSection, type MibValue } from './mib.js';

const system = [1, 3, 6, 1, 2, 1, 1];

const scalars: ReadonlyArray<readonly [number, (s: SystemInfo) => MibValue]> = [
  [1, (s) => octets(s.descr)],
  [2, (s) => ({ type: Asn.ObjectIdentifier, value: s.objectId })],
  [3, (s) => ({ type: Asn.TimeTicks, value: s.upTimeTicks >>> 0 })],
  [4, (s) => octets(s.contact)],
  [5, (s) => octets(s.name)],
  [6, (s) => octets(s.location)],
  [7, (s) => integer(s.services)],
];

export function systemGroup(read: () => SystemInfo): MibSection {
  return {
    objects: scalars.map(([n]) => [...system, n]),
    instances() {
      const info = read();
      return scalars.map(([n, value]) => ({ oid: [...system, n, 0], ...value(info) }));
    },
  };
}
