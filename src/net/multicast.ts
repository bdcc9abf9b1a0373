/**
 * Multicast group -> Ethernet MAC. IPv4 (RFC 1112): 01:00:5e plus the low 23 bits of the group, so 5
 * bits are lost and 32 groups share each MAC. IPv6 (RFC 2464): 33:33 plus the low 32 bits.
 * Groups whose MAC equals one in 224.0.0.0/24 or 224.128.0.0/24 (x.0.0.y / x.128.0.y) are flooded by
 * many switches like link-local control traffic, so they get a warning.
 */
import { formatIPv4 } from './address.js';
import type { IpAddress } from './address.js';

export interface MulticastMac {
  readonly mac: string;
  /** IPv4 only: every group mapped to the same MAC (32 of them), this one included. */
  readonly sharedWith?: readonly string[];
  readonly warning?: string;
}

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');

export function isMulticast(address: IpAddress): boolean {
  const first = address.bytes[0] ?? 0;
  return address.family === 4 ? first >= 224 && first <= 239 : first === 0xff;
}

/** The MAC a multicast group is sent to, or undefined when `address` is not a multicast group. */
export function multicastMac(address: IpAddress): MulticastMac | undefined {
  if (!isMulticast(address)) return undefined;
  const b = address.bytes;
  if (address.family === 6) return { mac: hex([0x33, 0x33, ...b.subarray(12, 16)]) };
  const low23 = [(b[1] ?? 0) & 0x7f, b[2] ?? 0, b[3] ?? 0];
  const sharedWith: string[] = [];
  for (let first = 224; first <= 239; first++) {
    for (const high of [0, 0x80])
      sharedWith.push(formatIPv4(Uint8Array.from([first, high | low23[0]!, low23[1]!, low23[2]!])));
  }
  const controlOverlap = low23[0] === 0 && low23[1] === 0;
  return {
    mac: hex([0x01, 0x00, 0x5e, ...low23]),
    sharedWith,
    ...(controlOverlap
      ? {
          warning:
            `this group shares its MAC with the link-local control block 224.0.0.${low23[2]} ` +
            '(x.0.0.y and x.128.0.y groups): IGMP-snooping switches flood it to every port; choose another group',
        }
      : {}),
  };
}
