/**
 * Address prefixes (`10.0.0.0/8`, `2001:db8::/32`, or a bare address as a host prefix) and the
 * membership test used by allow-lists. An IPv4-mapped IPv6 address is tested as the IPv4 it is.
 */
import { NetopsError } from '../core/errors.js';
import { parseAddress, type IpAddress } from './address.js';
import { unmapAddress } from './embedded.js';

export interface Cidr {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly length: number;
}

export function parseCidr(text: string): Cidr {
  const [addressText = '', lengthText, ...rest] = text.split('/');
  const address = parseAddress(addressText);
  const max = address?.family === 6 ? 128 : 32;
  const length = lengthText === undefined ? max : Number(lengthText);
  if (!address || rest.length > 0 || !/^\d*$/.test(lengthText ?? '') || !(length >= 0 && length <= max)) {
    throw new NetopsError('CONFIG_INVALID', `"${text}" is not an address prefix`, {
      hint: 'Write a prefix as ADDRESS/LENGTH, for example 10.0.0.0/8 or 2001:db8::/32, or a bare address.',
    });
  }
  return { family: address.family, bytes: address.bytes, length };
}

function sameBits(a: Uint8Array, b: Uint8Array, length: number): boolean {
  for (let bit = 0; bit < length; bit += 8) {
    const mask = length - bit >= 8 ? 0xff : (0xff << (8 - (length - bit))) & 0xff;
    if (((a[bit / 8] ?? 0) & mask) !== ((b[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

export function cidrContains(cidr: Cidr, address: string | IpAddress): boolean {
  const parsed = typeof address === 'string' ? parseAddress(unmapAddress(address)) : address;
  return (
    parsed !== undefined && parsed.family === cidr.family && sameBits(parsed.bytes, cidr.bytes, cidr.length)
  );
}
