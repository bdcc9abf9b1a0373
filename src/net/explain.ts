/**
 * Everything worth knowing about one address literal, for `netops addr explain` and diagnostics:
 * family, RFC 5952 form, scope (from the IANA special-purpose registries), embedded IPv4 in any
 * form, and the Ethernet MAC of a multicast group.
 */
import { NetopsError } from '../core/errors.js';
import { formatAddress, parseAddress, type Family } from './address.js';
import { cidrContains, parseCidr, type Cidr } from './cidr.js';
import { embeddedIPv4, type EmbeddedIPv4 } from './embedded.js';
import { multicastMac, type MulticastMac } from './multicast.js';

export interface AddressExplanation {
  readonly input: string;
  readonly family: Family;
  /** RFC 5952 for IPv6, dotted quad for IPv4, zone kept. */
  readonly canonical: string;
  readonly zone?: string;
  /** The special-purpose block the address is in, or `global`. */
  readonly scope: string;
  readonly embedded: readonly EmbeddedIPv4[];
  readonly multicast?: MulticastMac & { readonly scope: string };
}

const blocks: ReadonlyArray<[Cidr, string]> = (
  [
    ['0.0.0.0/32', 'unspecified'],
    ['0.0.0.0/8', 'this network (RFC 791)'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local (RFC 3927)'],
    ['10.0.0.0/8', 'private (RFC 1918)'],
    ['172.16.0.0/12', 'private (RFC 1918)'],
    ['192.168.0.0/16', 'private (RFC 1918)'],
    ['100.64.0.0/10', 'shared address space, carrier-grade NAT (RFC 6598)'],
    ['192.0.2.0/24', 'documentation (RFC 5737)'],
    ['198.51.100.0/24', 'documentation (RFC 5737)'],
    ['203.0.113.0/24', 'documentation (RFC 5737)'],
    ['198.18.0.0/15', 'benchmarking (RFC 2544)'],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'limited broadcast'],
    ['240.0.0.0/4', 'reserved (RFC 1112)'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['::ffff:0:0/96', 'IPv4-mapped (RFC 4291)'],
    ['64:ff9b::/96', 'NAT64 well-known prefix (RFC 6052)'],
    ['fe80::/10', 'link-local'],
    ['fc00::/7', 'unique local (RFC 4193)'],
    ['ff00::/8', 'multicast'],
    ['2001:db8::/32', 'documentation (RFC 3849)'],
    ['2002::/16', '6to4 (RFC 3056)'],
  ] as const
).map(([prefix, name]) => [parseCidr(prefix), name]);

const ipv6MulticastScopes: Record<number, string> = {
  1: 'interface-local',
  2: 'link-local',
  4: 'admin-local',
  5: 'site-local',
  8: 'organization-local',
  14: 'global',
};

function multicastScope(family: Family, bytes: Uint8Array): string {
  if (family === 6) return ipv6MulticastScopes[(bytes[1] ?? 0) & 0x0f] ?? `scope ${(bytes[1] ?? 0) & 0x0f}`;
  if (bytes[0] === 224 && bytes[1] === 0 && bytes[2] === 0) return 'link-local control block (224.0.0.0/24)';
  if (bytes[0] === 239) return 'administratively scoped (RFC 2365)';
  if (bytes[0] === 232) return 'source-specific (RFC 4607)';
  return 'global';
}

export function explainAddress(input: string): AddressExplanation {
  const parsed = parseAddress(input.trim());
  if (!parsed) {
    throw new NetopsError('CONFIG_INVALID', `"${input}" is not an IPv4 or IPv6 address`, {
      hint: 'Give an address literal such as 192.0.2.1, 2001:db8::1, fe80::1%eth0 or ::ffff:192.0.2.1.',
    });
  }
  const scope =
    blocks.find(([cidr]) => cidrContains(cidr, { family: parsed.family, bytes: parsed.bytes }))?.[1] ??
    'global';
  const mac = multicastMac(parsed);
  return {
    input,
    family: parsed.family,
    canonical: formatAddress(parsed),
    ...(parsed.zone === undefined ? {} : { zone: parsed.zone }),
    scope,
    embedded: parsed.family === 6 ? embeddedIPv4(parsed.bytes) : [],
    ...(mac ? { multicast: { ...mac, scope: multicastScope(parsed.family, parsed.bytes) } } : {}),
  };
}
