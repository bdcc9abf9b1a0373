import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/lab/device/config-tree.js';
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
      /^hostname r1\nboot-start-marker\nboot-end-marker\n/m,
      // The volatile clock period heads the ntp lines, as IOS prints it.
      /^ntp clock-period \d+\nntp authentication-key 3 md5 \d\d[0-9A-F]+ 7\nntp authenticate\n/m,
      /^snmp-server community \d{8} RO$/m,
      /^snmp-server community [a-z0-9]+-secret RO$/m,
      /^crypto isakmp key \d{8} address /m,
      /^crypto map MANUAL-MAP 10 ipsec-manual\n set peer \S+\n set session-key inbound esp 300 cipher [0-9A-F]{32} authenticator [0-9A-F]{40}\n set session-key outbound esp 301 /m,
      /^tacacs server TAC2\n address ipv4 \S+\n key [0-9A-Z]{10}\n/m,
      /^radius server RAD2\n address ipv4 .*\n key \d{8}\n/m,
      /^router eigrp LAB\n address-family ipv4 unicast autonomous-system 100\n {2}af-interface default\n {3}authentication mode hmac-sha-256 \S+\n {2}exit-af-interface\n/m,
      /^interface GigabitEthernet0\/1\n(?: .*\n)* cts manual\n {2}sap pmk [0-9A-F]{32} mode-list gcm-encrypt\n!/m,
      /^mpls ldp password option 1 for 10 \S+\nmpls ldp password fallback \S+$/m,
      /^event manager applet \S+\n event syslog pattern ".*"\n action 1\.0 mail server "eem:\S+@192\.0\.2\.86" to /m,
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
    expect(body).toMatch(/^snmp-server community \d{8} group network-operator$/m);
    expect(body).toMatch(/^snmp-server community [a-z0-9]+-secret group network-operator$/m);
    expect(body).toMatch(/^ntp authentication-key 3 md5 [a-z]{10} 7$/m);
    expect(body).toMatch(/^feature cts$/m);
    expect(body).toMatch(
      /^interface Ethernet1\/1\n(?: {2}.*\n)* {2}cts manual\n {4}sap pmk [0-9A-F]{32} modelist gcm-encrypt\n/m,
    );
    expect(body).not.toMatch(/^end$/m);
  });

  for (const platform of ['ios', 'nxos'] as const) {
    it(`read back from their own text, keep their sub-mode lines nested as they were (${platform})`, () => {
      const device = new Device(init({ platform, name: 'r3' }));
      expect(parseText(device.body())).toEqual(device.running);
    });

    it(`print after a reload the configuration they saved, and have nothing to save (${platform})`, async () => {
      const device = new Device(init({ platform, name: 'r4', bootMs: 0 }));
      const saved = device.startup ?? '';
      const booted = new Promise((resolve) => device.once('booted', resolve));
      device.reload('admin');
      await booted;
      const stamps = /^! (NVRAM|Last|No) config.*\n/gm;
      expect(device.body().replace(stamps, '')).toBe(saved.replace(stamps, ''));
      expect(device.modified).toBe(false);
    });
  }
});
