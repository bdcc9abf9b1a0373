/** Decoding varbind values into plain strings and numbers. */
import { ObjectType, type Varbind } from './net-snmp.js';

/** True when the agent has no value for the object (noSuchObject, noSuchInstance, endOfMibView). */
export function isMissing(vb: Varbind | undefined): boolean {
  return (
    vb === undefined ||
    vb.type === ObjectType.NoSuchObject ||
    vb.type === ObjectType.NoSuchInstance ||
    vb.type === ObjectType.EndOfMibView
  );
}

/** OCTET STRING as text (SnmpAdminString is UTF-8); CRLF becomes LF, trailing NULs and spaces go. */
export function text(vb: Varbind | undefined): string {
  if (isMissing(vb) || vb === undefined) return '';
  const value = Buffer.isBuffer(vb.value) ? vb.value.toString('utf8') : String(vb.value);
  return value.replace(/\r\n/g, '\n').replace(/[\0\s]+$/, '');
}

export function integer(vb: Varbind | undefined, fallback: number): number {
  return !isMissing(vb) && typeof vb?.value === 'number' ? vb.value : fallback;
}

/** SNMPv2-TC DateAndTime (8 or 11 octets) as ISO 8601; undefined when absent or all zero. */
export function dateAndTime(vb: Varbind | undefined): string | undefined {
  if (isMissing(vb) || !Buffer.isBuffer(vb?.value) || vb.value.length < 8) return undefined;
  const b = vb.value;
  const year = b.readUInt16BE(0);
  if (year === 0) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${year}-${pad(b[2]!)}-${pad(b[3]!)}T${pad(b[4]!)}:${pad(b[5]!)}:${pad(b[6]!)}`;
  if (b.length < 11) return date;
  return `${date}${String.fromCharCode(b[8]!)}${pad(b[9]!)}:${pad(b[10]!)}`;
}
