import { describe, expect, it } from 'vitest';
import { Device, type DeviceInit } from '../../src/lab/device/device.js';
import { decodeType7 } from '../../src/lab/device/secrets.js';

const init = (over: Partial<DeviceInit>): DeviceInit => ({
  name: 'r1',
  platform: 'ios',
  seed: 7,
  sizeBytes: 8000,
  username: 'admin',
  password: 'pw',
  enableSecret: 'en',
  readCommunity: 'ro-community',
  writeCommunity: 'rw-community',
  loopback: { ipv4: '10.254.254.1', ipv6: 'fd00:254::1' },
  mgmt: { ipv4: '192.0.2.2', ipv6: '2001:db8::2' },
  tftpSourceLoopback: false,
  ...over,
});

describe('generated device configurations', () => {
  it('are the same bytes for the same name and seed, and differ for another seed', () => {
    const a = new Device(init({})).body();
    expect(new Device(init({})).body().replace(/^! (NVRAM|Last).*\n/gm, '')).toBe(
      a.replace(/^! (NVRAM|Last).*\n/gm, ''),
    );
    expect(new Device(init({ seed: 8 })).body()).not.toBe(a);
  });

  it("share their platform's ACLs and route-maps, as a fleet built from templates does, and keep interfaces and routes their own", () => {
    // The blocks (a line and its indented children) whose first line matches.
    const blocks = (body: string, start: RegExp) =>
      body
        .split(/\n(?=\S)/)
        .filter((block) => start.test(block))
        .join('\n');
    const policy = /^(ip access-list|route-map) /;
    const own = /^(interface GigabitEthernet0\/[1-9]|ip route) /;
    // The first ACL's networks.
    const networks = (body: string) =>
      blocks(body, /^ip access-list /)
        .match(/10\.\d+\.\d+\.0/g)
        ?.slice(0, 8);
    const r1 = new Device(init({ name: 'r1', sizeBytes: 50_000 })).body();
    const r2 = new Device(init({ name: 'r2', sizeBytes: 50_000 })).body();
    const n1 = new Device(init({ name: 'n1', platform: 'nxos', sizeBytes: 50_000 })).body();
    expect(blocks(r1, policy).length).toBeGreaterThan(10_000);
    expect(blocks(r2, policy)).toBe(blocks(r1, policy));
    expect(blocks(r2, own)).not.toBe(blocks(r1, own));
    expect(networks(n1)).not.toEqual(networks(r1));
  });

  for (const size of [5_000, 50_000, 500_000]) {
    it(`reach the requested size (${size} bytes) within 10%`, () => {
      const bytes = Buffer.byteLength(new Device(init({ sizeBytes: size })).body());
      expect(bytes).toBeGreaterThan(size * 0.9);
      expect(bytes).toBeLessThan(size * 1.1);
    });
  }

  it('IOS carries every secret line kind a sanitizer must mask, and volatile lines', () => {
    const body = new Device(init({})).body();
    for (const pattern of [
      /^enable secret 5 \$1\$/m,
      /^username admin privilege 15 secret 5 \$1\$/m,
      /^username operator password 7 [0-9A-F]+$/m,
      /^snmp-server community ro-community RO$/m,
      /^snmp-server host 192\.0\.2\.60 version 2c ro-community$/m,
      /^tacacs-server host \S+ key 7 /m,
      /^ key 7 [0-9A-F]+$/m,
      /^ server-private \S+ key 7 /m,
      /^crypto isakmp key \S+ address /m,
      /^ neighbor \S+ password 7 /m,
      /^ ip ospf message-digest-key 1 md5 7 /m,
      /^ {2}key-string 7 /m,
      /^ password 7 /m,
      /^! Last configuration change at .* by admin$|^! No configuration change since last restart$/m,
      /^ntp clock-period \d+$/m,
    ]) {
      expect(body).toMatch(pattern);
    }
    const type7 = /^username operator password 7 (\S+)$/m.exec(body)?.[1] ?? '';
    expect(decodeType7(type7)).toBe('pw');
  });

  it('NX-OS has username ... password 5, tacacs/radius keys and no end line', () => {
    const body = new Device(init({ platform: 'nxos', name: 'n1' })).body();
    expect(body).toMatch(/^username admin password 5 \$5\$\S+ {2}role network-admin$/m);
    expect(body).toMatch(/^tacacs-server key 7 "/m);
    expect(body).toMatch(/^radius-server host \S+ key 7 "/m);
    expect(body).toMatch(/^snmp-server community rw-community group network-admin$/m);
    expect(body).not.toMatch(/^end$/m);
  });
});
