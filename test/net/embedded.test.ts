/** IPv4 inside IPv6, each form as a log reader meets it. */
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/net/address.js';
import { embeddedIPv4, ipv4InTopBits, unmapAddress } from '../../src/net/embedded.js';

const forms = (text: string) => embeddedIPv4(parseAddress(text)!.bytes).map((e) => [e.form, e.ipv4]);

describe('embedded IPv4 forms', () => {
  it('reads afe:fe01:: as 10.254.254.1 in the top 32 bits (the IOS source-interface quirk)', () => {
    expect(forms('afe:fe01::')).toEqual([['ipv4-in-top-32-bits', '10.254.254.1']]);
    expect(ipv4InTopBits('afe:fe01::')).toBe('10.254.254.1');
    expect(ipv4InTopBits('afe:fe01::1')).toBeUndefined();
  });

  it.each([
    ['::ffff:192.0.2.1', 'ipv4-mapped', '192.0.2.1'],
    ['::192.0.2.1', 'ipv4-compatible', '192.0.2.1'],
    ['2002:a01:102::', '6to4', '10.1.1.2'],
    ['2002:c000:0204:1::5', '6to4', '192.0.2.4'],
    ['64:ff9b::198.51.100.7', 'nat64', '198.51.100.7'],
  ])('%s is %s %s', (text, form, ipv4) => {
    expect(forms(text)).toContainEqual([form, ipv4]);
  });

  it('finds nothing in ordinary, loopback and unspecified addresses', () => {
    expect(forms('2001:db8::1')).toEqual([]);
    expect(forms('::1')).toEqual([]);
    expect(forms('::')).toEqual([]);
    expect(forms('fe80::1')).toEqual([]);
  });

  it('unmaps dual-stack peers and canonicalizes IPv6 for comparisons', () => {
    expect(unmapAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapAddress('0:0::1')).toBe('::1');
    expect(unmapAddress('FE80::1%lo')).toBe('fe80::1%lo');
  });
});
