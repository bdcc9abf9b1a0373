/** Multicast group -> Ethernet MAC, including the 32-to-1 IPv4 overlap engineers trip on. */
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/net/address.js';
import { multicastMac } from '../../src/net/multicast.js';

const mac = (text: string) => multicastMac(parseAddress(text)!);

describe('IPv4 multicast MAC', () => {
  it('224.0.0.1 and 225.0.0.1 share 01:00:5e:00:00:01, with the control-block warning', () => {
    expect(mac('224.0.0.1')?.mac).toBe('01:00:5e:00:00:01');
    const other = mac('225.0.0.1');
    expect(other?.mac).toBe('01:00:5e:00:00:01');
    expect(other?.sharedWith).toHaveLength(32);
    expect(other?.sharedWith).toContain('224.0.0.1');
    expect(other?.sharedWith).toContain('239.128.0.1');
    expect(other?.warning).toMatch(/224\.0\.0\.1.*flood/);
  });

  it('keeps only the low 23 bits: 239.255.255.250 and 224.127.255.250 -> 01:00:5e:7f:ff:fa, no warning', () => {
    expect(mac('239.255.255.250')?.mac).toBe('01:00:5e:7f:ff:fa');
    expect(mac('224.127.255.250')?.mac).toBe('01:00:5e:7f:ff:fa');
    expect(mac('239.255.255.250')?.warning).toBeUndefined();
  });

  it('warns for x.128.0.y groups too', () => {
    expect(mac('230.128.0.5')?.mac).toBe('01:00:5e:00:00:05');
    expect(mac('230.128.0.5')?.warning).toBeDefined();
  });
});

describe('IPv6 multicast MAC', () => {
  it('maps to 33:33 plus the low 32 bits', () => {
    expect(mac('ff02::1')?.mac).toBe('33:33:00:00:00:01');
    expect(mac('ff02::1:ff00:1234')?.mac).toBe('33:33:ff:00:12:34');
    expect(mac('ff02::1')?.sharedWith).toBeUndefined();
  });
});

it('is undefined for unicast groups', () => {
  expect(mac('192.0.2.1')).toBeUndefined();
  expect(mac('2001:db8::1')).toBeUndefined();
});
