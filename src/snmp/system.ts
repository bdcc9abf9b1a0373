/** SNMPv2-MIB system group (RFC 3418), read with one GET. */
import type { SnmpSession } from './session.js';
import { integer, isMissing, text } from './values.js';

const system = '1.3.6.1.2.1.1';

export const systemOids = {
  descr: `${system}.1.0`,
  objectId: `${system}.2.0`,
  upTime: `${system}.3.0`,
  contact: `${system}.4.0`,
  name: `${system}.5.0`,
  location: `${system}.6.0`,
} as const;

export interface SystemGroup {
  readonly descr: string;
  readonly objectId: string;
  /** sysUpTime in hundredths of a second since the agent (re)started. */
  readonly upTimeTicks: number;
  readonly contact: string;
  readonly name: string;
  readonly location: string;
}

export async function readSystem(session: SnmpSession): Promise<SystemGroup> {
  const [descr, objectId, upTime, contact, name, location] = await session.get(Object.values(systemOids));
  return {
    descr: text(descr),
    objectId: isMissing(objectId) ? '' : String(objectId?.value),
    upTimeTicks: integer(upTime, 0),
    contact: text(contact),
    name: text(name),
    location: text(location),
  };
}
