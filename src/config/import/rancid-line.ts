/**
 * One `router.db` line split into its fields. RANCID 3 separates with `;` so that IPv6 names fit;
 * a RANCID 2 file separates with `:`, where an IPv6 name is accepted in brackets (`[2001:db8::1]`)
 * or bare when only one way of reading the line makes it an address followed by type and state.
 */
import { parseIPv6 } from '../../net/address.js';

export interface RouterFields {
  readonly name: string;
  readonly type: string;
  readonly state: string;
  readonly comment: string;
}

/** The fields, or why the line cannot be read. */
export function splitRouterLine(text: string, separator: ';' | ':'): RouterFields | string {
  const line = text.trim();
  if (separator === ';') return fieldsOf(line.split(/\s*;\s*/), separator);
  const bracketed = /^\[([^\]]+)\]\s*:(.*)$/.exec(line);
  if (bracketed) return fieldsOf([bracketed[1]!, ...bracketed[2]!.split(/\s*:\s*/)], separator);
  const parts = line.split(/\s*:\s*/);
  if (parts.length <= 4 || !/^[0-9a-f]{0,4}$/i.test(parts[0]!)) return fieldsOf(parts, separator);
  // More than four fields and a start that could be IPv6: the name is the prefix that is an address.
  const readings: number[] = [];
  for (let k = 2; k <= parts.length - 2; k++)
    if (parseIPv6(parts.slice(0, k).join(':')) !== undefined) readings.push(k);
  if (readings.length === 1)
    return fieldsOf([parts.slice(0, readings[0]).join(':'), ...parts.slice(readings[0])], separator);
  if (readings.length === 0) return fieldsOf(parts, separator);
  return 'an IPv6 address in a ":"-separated router.db can be read more than one way';
}

function fieldsOf(parts: string[], separator: string): RouterFields | string {
  const [name = '', type = '', state = '', ...comment] = parts;
  if (!name) return 'no device name';
  return { name, type, state, comment: comment.join(separator).trim() };
}
