/**
 * IPv4 addresses hidden inside IPv6 ones. Each form has its own story for an engineer reading a
 * log: a dual-stack socket's mapped address, a tunnel, a NAT64 prefix, or a device that put its IPv4
 * source address into the top 32 bits of an IPv6 packet (`afe:fe01::` = 10.254.254.1, the IOS
 * `ip tftp source-interface` quirk of device-reference.md §2.4).
 */
import { formatAddress, formatIPv4, parseAddress } from './address.js';

export type EmbeddedForm = 'ipv4-mapped' | 'ipv4-compatible' | '6to4' | 'nat64' | 'ipv4-in-top-32-bits';

export interface EmbeddedIPv4 {
  readonly form: EmbeddedForm;
  readonly ipv4: string;
  /** One sentence on where such an address comes from. */
  readonly meaning: string;
}

const meanings: Record<EmbeddedForm, string> = {
  'ipv4-mapped': 'an IPv4 peer seen through a dual-stack IPv6 socket (RFC 4291 §2.5.5.2)',
  'ipv4-compatible': 'the deprecated IPv4-compatible form (RFC 4291 §2.5.5.1)',
  '6to4': 'a 6to4 address (RFC 3056): the site is reached through its IPv4 address',
  nat64: 'the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): an IPv4 host seen through a NAT64',
  'ipv4-in-top-32-bits':
    'an IPv4 address written into the top 32 bits of an IPv6 address, as IOS sources IPv6 TFTP when ' +
    '`ip tftp source-interface` is set (an IPv4 command; the interface having IPv6 does not help)',
};

const zeroFrom = (bytes: Uint8Array, start: number, end: number) =>
  bytes.subarray(start, end).every((b) => b === 0);

/** Every IPv4 address embedded in `bytes` (16 bytes), with the form it was found in. */
export function embeddedIPv4(bytes: Uint8Array): EmbeddedIPv4[] {
  const found = (form: EmbeddedForm, at: number): EmbeddedIPv4 => ({
    form,
    ipv4: formatIPv4(bytes.subarray(at, at + 4)),
    meaning: meanings[form],
  });
  const out: EmbeddedIPv4[] = [];
  const lowV4 = zeroFrom(bytes, 12, 16) ? undefined : 12;
  if (zeroFrom(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) out.push(found('ipv4-mapped', 12));
  // ::1 and :: are loopback and unspecified, not IPv4 0.0.0.1.
  else if (zeroFrom(bytes, 0, 12) && lowV4 !== undefined && !zeroFrom(bytes, 12, 15))
    out.push(found('ipv4-compatible', 12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) out.push(found('6to4', 2));
  const nat64Prefix = [0x00, 0x64, 0xff, 0x9b];
  if (nat64Prefix.every((b, i) => bytes[i] === b) && zeroFrom(bytes, 4, 12)) out.push(found('nat64', 12));
  if (!zeroFrom(bytes, 0, 4) && zeroFrom(bytes, 4, 16)) out.push(found('ipv4-in-top-32-bits', 0));
  return out;
}

/** The IPv4 address read from the top 32 bits of an IPv6 literal whose other 96 bits are zero. */
export function ipv4InTopBits(text: string): string | undefined {
  const parsed = parseAddress(text);
  if (parsed?.family !== 6) return undefined;
  return embeddedIPv4(parsed.bytes).find((e) => e.form === 'ipv4-in-top-32-bits')?.ipv4;
}

/**
 * The address a peer really has: `::ffff:192.0.2.1` from a dual-stack socket is 192.0.2.1, and an
 * IPv6 literal is put in RFC 5952 form, so addresses compare equal however they were written.
 */
export function unmapAddress(text: string): string {
  const parsed = parseAddress(text);
  if (!parsed) return text;
  if (parsed.family === 6) {
    const mapped = embeddedIPv4(parsed.bytes).find((e) => e.form === 'ipv4-mapped');
    if (mapped) return mapped.ipv4;
  }
  return formatAddress(parsed);
}
