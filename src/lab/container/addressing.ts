/**
 * The container lab's address plan. Its bridge is in the host's own namespace (netops runs on the
 * host), so every lab gets a slot of its own: lab network N (0-31) is 198.18.(128+N).0/24 and
 * 2001:db8:c0:N::/64, the host is .1/::1 on it, the terminal server .2/::2, device I .10+I/::a+I;
 * device I's Loopback0 is 198.18.(160+N).(1+I) and 2001:db8:c1:N::(1+I), routed by the host through
 * the device. All inside the benchmark and documentation ranges (198.18.0.0/15, 2001:db8::/32).
 */
import { normalizeAddress } from '../../net/address.js';
import type { DualStack } from '../netns/addressing.js';

export const labSlots = 32;
/** Devices on one lab network (.10 to .249). */
export const maxDevices = 240;

export interface LabNetwork {
  readonly slot: number;
  readonly subnet: DualStack;
  readonly gateway: DualStack;
  readonly terminalServer: DualStack;
}

/** `2001:db8:GROUP:SLOT::HOST` in RFC 5952 form (slot 0 compresses: 2001:db8:c0::a). */
const v6 = (group: string, slot: number, host: number | '') =>
  normalizeAddress(`2001:db8:${group}:${slot.toString(16)}::${host === '' ? '' : host.toString(16)}`) ?? '';

export function labNetwork(slot: number): LabNetwork {
  return {
    slot,
    subnet: { ipv4: `198.18.${128 + slot}.0/24`, ipv6: `${v6('c0', slot, '')}/64` },
    gateway: { ipv4: `198.18.${128 + slot}.1`, ipv6: v6('c0', slot, 1) },
    terminalServer: { ipv4: `198.18.${128 + slot}.2`, ipv6: v6('c0', slot, 2) },
  };
}

export function containerDeviceAddresses(slot: number, index: number): DualStack {
  return { ipv4: `198.18.${128 + slot}.${10 + index}`, ipv6: v6('c0', slot, 10 + index) };
}

export function containerLoopbackAddresses(slot: number, index: number): DualStack {
  return { ipv4: `198.18.${160 + slot}.${1 + index}`, ipv6: v6('c1', slot, 1 + index) };
}

/** The first slot whose subnets no podman network uses yet, past those in `skip`. */
export function freeSlot(
  usedSubnets: ReadonlySet<string>,
  skip: ReadonlySet<number> = new Set(),
): number | undefined {
  for (let slot = 0; slot < labSlots; slot++) {
    const { subnet } = labNetwork(slot);
    if (skip.has(slot)) continue;
    if (!usedSubnets.has(subnet.ipv4) && !usedSubnets.has(subnet.ipv6)) return slot;
  }
  return undefined;
}
