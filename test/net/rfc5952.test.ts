/** Addresses are written one way everywhere: RFC 5952 §4 rules, each with its own row. */
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/net/address.js';

describe('RFC 5952 canonical form', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1', '§4.1 leading zeros dropped'],
    ['2001:DB8::1', '2001:db8::1', '§4.3 lower case'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', '§4.2.3 first of equal runs compressed'],
    ['2001:db8:0:0:0:1:0:0', '2001:db8::1:0:0', '§4.2.3 longest run compressed'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', '§4.2.2 a single zero word is not compressed'],
    ['0:0:0:0:0:0:0:0', '::', 'all zero'],
    ['0:0:0:0:0:0:0:1', '::1', 'loopback'],
    ['::ffff:192.0.2.1', '::ffff:c000:201', 'embedded dotted quad written in hex words'],
    ['fe80::0001%eth0', 'fe80::1%eth0', 'zone kept'],
    ['[2001:db8::1]', '2001:db8::1', 'brackets removed'],
    ['010.1.1.1', undefined, 'IPv4 leading zeros are ambiguous (octal) and refused'],
    ['192.0.2.1', '192.0.2.1', 'IPv4 unchanged'],
    ['2001:db8::1::2', undefined, 'two "::" refused'],
  ])('%s -> %s (%s)', (input, expected, _rule) => {
    expect(normalizeAddress(input)).toBe(expected);
  });
});
