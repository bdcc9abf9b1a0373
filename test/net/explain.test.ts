/** What `netops addr explain` knows about an address. */
import { describe, expect, it } from 'vitest';
import { explainAddress } from '../../src/net/explain.js';

describe('explainAddress', () => {
  it('explains the seed address afe:fe01:: as IPv4 10.254.254.1 in the top 32 bits', () => {
    const e = explainAddress('AFE:FE01:0::');
    expect(e).toMatchObject({ family: 6, canonical: 'afe:fe01::', scope: 'global' });
    expect(e.embedded[0]).toMatchObject({ form: 'ipv4-in-top-32-bits', ipv4: '10.254.254.1' });
  });

  it.each([
    ['fe80::1%eth0', 'link-local'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['::1', 'loopback'],
    ['2001:db8::1', 'documentation (RFC 3849)'],
    ['fd00::1', 'unique local (RFC 4193)'],
    ['100.64.1.1', 'shared address space, carrier-grade NAT (RFC 6598)'],
    ['8.8.8.8', 'global'],
  ])('%s is %s', (text, scope) => {
    expect(explainAddress(text).scope).toBe(scope);
  });

  it('keeps the zone of a link-local address', () => {
    expect(explainAddress('fe80::0:1%eth0')).toMatchObject({ canonical: 'fe80::1%eth0', zone: 'eth0' });
  });

  it('gives multicast scope and MAC', () => {
    expect(explainAddress('ff02::1:2').multicast).toMatchObject({
      mac: '33:33:00:01:00:02',
      scope: 'link-local',
    });
    expect(explainAddress('224.0.0.5').multicast).toMatchObject({
      mac: '01:00:5e:00:00:05',
      scope: 'link-local control block (224.0.0.0/24)',
    });
  });

  it('refuses a non-address with a hint', () => {
    expect(() => explainAddress('r1')).toThrow(/not an IPv4 or IPv6 address/);
  });
});
