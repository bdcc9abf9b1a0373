/**
 * The lab's address plan, all inside the documentation/benchmark ranges (198.18.0.0/15,
 * 2001:db8::/32). One bridge subnet joins the management side, the terminal server and every device;
 * device loopbacks are host routes the management namespace reaches through each device. The scale
 * namespace owns 198.19.0.0/16 and 2001:db8:5ca1::/64, routed to it as a whole.
 */

export interface DualStack {
  readonly ipv4: string;
  readonly ipv6: string;
}

/** Bridge subnet: 198.18.0.0/20 and 2001:db8:0:1::/64 (room for 4,000 attachments). */
export const bridgePrefix = { ipv4: 20, ipv6: 64 } as const;
export const management: DualStack = { ipv4: '198.18.0.1', ipv6: '2001:db8:0:1::1' };
export const terminalServer: DualStack = { ipv4: '198.18.0.2', ipv6: '2001:db8:0:1::2' };
export const scaleGateway: DualStack = { ipv4: '198.18.0.3', ipv6: '2001:db8:0:1::3' };
export const scaleRoutes: DualStack = { ipv4: '198.19.0.0/16', ipv6: '2001:db8:5ca1::/64' };

/** Console ports on the terminal server: line N answers on 2000 + N (device-reference.md §5). */
export const consolePort = (index: number): number => 2001 + index;

const v4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const base = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** Device N (0-based) on the bridge: 198.18.0.10+N, 2001:db8:0:1::a+N. */
export function deviceAddresses(index: number): DualStack {
  return { ipv4: v4(base(198, 18, 0, 10) + index), ipv6: `2001:db8:0:1::${(10 + index).toString(16)}` };
}

/** Device N's Loopback0: 198.18.254.1+N and 2001:db8:0:ff::1+N (device 0 is 198.18.254.1). */
export function loopbackAddresses(index: number): DualStack {
  return { ipv4: v4(base(198, 18, 254, 1) + index), ipv6: `2001:db8:0:ff::${(1 + index).toString(16)}` };
}

/** Scale device N: 198.19.0.1+N (skipping nothing: .0 and .255 are fine on /32s) and 2001:db8:5ca1::1+N. */
export function scaleAddresses(index: number): DualStack {
  return { ipv4: v4(base(198, 19, 0, 1) + index), ipv6: `2001:db8:5ca1::${(1 + index).toString(16)}` };
}

/**
 * The address IOS sends IPv6 TFTP from with `ip tftp source-interface Loopback0` (device-reference.md
 * §2.4): the loopback's IPv4 address as the top 32 bits, 198.18.254.1 -> c612:fe01::.
 */
export function ipv4AsTopBits(ipv4: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  return `${hex(a, b)}:${hex(c, d)}::`;
}
