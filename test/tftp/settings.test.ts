/** The job file's `tftp:` section: defaults a user can rely on and errors that point at the value. */
import { describe, expect, it } from 'vitest';
import { tftpSettingsSchema } from '../../src/tftp/settings.js';

describe('tftp settings', () => {
  it('defaults to dual-stack port 69, 60 s, 1024 transfers, 64 MiB', () => {
    expect(tftpSettingsSchema.parse({})).toEqual({
      listen: [{ address: '::', port: 69 }],
      advertise: {},
      timeout: 60,
      maxTransfers: 1024,
      maxFileBytes: 64 * 2 ** 20,
    });
  });

  it('parses every listen form and normalizes advertised addresses', () => {
    const settings = tftpSettingsSchema.parse({
      listen: ['192.0.2.10', '0.0.0.0:6969', '[2001:DB8::10]:69', '[fe80::1%eth0]:69'],
      advertise: { ipv4: '192.0.2.10', ipv6: '2001:DB8:0::10' },
    });
    expect(settings.listen).toEqual([
      { address: '192.0.2.10', port: 69 },
      { address: '0.0.0.0', port: 6969 },
      { address: '2001:db8::10', port: 69 },
      { address: 'fe80::1%eth0', port: 69 },
    ]);
    expect(settings.advertise).toEqual({ ipv4: '192.0.2.10', ipv6: '2001:db8::10' });
  });

  it('names the bad value and its place', () => {
    const result = tftpSettingsSchema.safeParse({ listen: ['tftp-host'], advertise: { ipv6: '192.0.2.1' } });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toContainEqual([
      'listen.0',
      expect.stringContaining('"tftp-host" is not an IPv4 or IPv6 address'),
    ]);
    expect(issues).toContainEqual(['advertise.ipv6', 'expected an IPv6 address']);
  });
});
