/** Allow-list prefixes and listen endpoints as users write them. */
import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr } from '../../src/net/cidr.js';
import { parseEndpoint } from '../../src/net/endpoint.js';

describe('prefixes', () => {
  it('matches IPv4, IPv6 and dual-stack-mapped sources', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8'), '10.254.254.1')).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8'), '::ffff:10.1.2.3')).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8'), '11.0.0.1')).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32'), '2001:db8:1::5')).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/33'), '2001:db8:8000::1')).toBe(false);
    expect(cidrContains(parseCidr('127.0.0.1'), '127.0.0.2')).toBe(false);
  });

  it('refuses what is not a prefix', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/not an address prefix/);
    expect(() => parseCidr('host/8')).toThrow(/not an address prefix/);
  });
});

describe('listen endpoints', () => {
  it.each([
    ['0.0.0.0', { address: '0.0.0.0', port: 69 }],
    ['127.0.0.1:6969', { address: '127.0.0.1', port: 6969 }],
    ['[::]:69', { address: '::', port: 69 }],
    ['::', { address: '::', port: 69 }],
    ['[FE80::1%eth0]:0', { address: 'fe80::1%eth0', port: 0 }],
  ])('%s', (text, expected) => {
    expect(parseEndpoint(text, 69)).toEqual(expected);
  });

  it('explains a bad endpoint', () => {
    expect(() => parseEndpoint('127.0.0.1:99999', 69)).toThrow(/port 99999/);
    expect(() => parseEndpoint('tftp.example:69', 69)).toThrow(/not an IPv4 or IPv6 address/);
  });
});
