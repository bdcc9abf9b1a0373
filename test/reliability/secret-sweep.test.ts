/**
 * The sweep's own checks: `plantedSecrets` reads every secret a simulated device's config holds,
 * value for value and nothing else of its line, and `sweep` finds each where a leak would put it.
 */
import { describe, expect, it } from 'vitest';
import { ownSecrets, type OwnSecrets } from '../../src/lab/device/config-generator.js';
import { Device, type DeviceInit } from '../../src/lab/device/device.js';
import type { Platform } from '../../src/lab/device/model.js';
import { seeded } from '../../src/lab/device/random.js';
import { plantedSecrets, sweep } from './secret-sweep.js';

const credentials = {
  username: 'admin',
  password: 'lab-password-1',
  enableSecret: 'lab-enable-1',
  readCommunity: 'lab-read-community',
  writeCommunity: 'lab-write-community',
};

const device = (name: string, platform: Platform): Device => {
  const init: DeviceInit = {
    name,
    platform,
    seed: 11,
    sizeBytes: 8000,
    ...credentials,
    loopback: { ipv4: '10.254.254.1', ipv6: 'fd00:254::1' },
    mgmt: { ipv4: '192.0.2.2', ipv6: '2001:db8::2' },
    tftpSourceLoopback: false,
  };
  return new Device(init);
};

interface Shape {
  readonly shape: string;
  /** The line, or the block (its first line and indented lines), that carries the secrets. */
  readonly text: RegExp;
  readonly values: (own: OwnSecrets) => string[];
}

const block = (first: string) => new RegExp(`^${first}\\n(?: .*\\n)*`, 'm');

const iosShapes: readonly Shape[] = [
  {
    shape: 'community of digits',
    text: /^snmp-server community \d+ RO$/m,
    values: (o) => [o.numericCommunity],
  },
  {
    shape: 'community read as a keyword',
    text: /^snmp-server community \S+-secret RO$/m,
    values: (o) => [o.keywordCommunity],
  },
  { shape: 'ntp authentication-key', text: /^ntp authentication-key .*$/m, values: (o) => [o.ntpKey] },
  { shape: 'mpls ldp password option', text: /^mpls ldp password option .*$/m, values: (o) => [o.ldpOption] },
  {
    shape: 'mpls ldp password fallback',
    text: /^mpls ldp password fallback .*$/m,
    values: (o) => [o.ldpFallback],
  },
  { shape: 'EIGRP hmac-sha-256', text: block('router eigrp LAB'), values: (o) => [o.eigrp] },
  {
    shape: 'crypto isakmp key of digits',
    text: /^crypto isakmp key \S+ address 198\.51\.100\.8$/m,
    values: (o) => [o.isakmpNumeric],
  },
  {
    shape: 'manual IPsec session keys',
    text: block('crypto map MANUAL-MAP 10 ipsec-manual'),
    values: ({ sessionKeys: { inbound, outbound } }) => [
      inbound.cipher,
      inbound.authenticator,
      outbound.cipher,
      outbound.authenticator,
    ],
  },
  { shape: 'cts manual sap pmk', text: /^ cts manual\n {2}sap pmk .*$/m, values: (o) => [o.sapPmk] },
  { shape: 'radius server key', text: block('radius server RAD2'), values: (o) => [o.radiusKey] },
  { shape: 'tacacs server key', text: block('tacacs server TAC2'), values: (o) => [o.tacacsKey] },
  {
    shape: 'EEM mail server',
    text: block('event manager applet UPLINK-DOWN'),
    values: (o) => [o.mailPassword],
  },
];

const nxosShapes: readonly Shape[] = [
  {
    shape: 'community of digits',
    text: /^snmp-server community \d+ group network-operator$/m,
    values: (o) => [o.numericCommunity],
  },
  {
    shape: 'community read as a keyword',
    text: /^snmp-server community \S+-secret group network-operator$/m,
    values: (o) => [o.keywordCommunity],
  },
  { shape: 'ntp authentication-key', text: /^ntp authentication-key .*$/m, values: (o) => [o.ntpKey] },
  { shape: 'cts manual sap pmk', text: /^ {2}cts manual\n {4}sap pmk .*$/m, values: (o) => [o.sapPmk] },
];

const valuesOf = (device: string, text: string) =>
  plantedSecrets(device, text)
    .map((s) => s.value)
    .sort();

describe('plantedSecrets', () => {
  for (const [platform, shapes] of [
    ['ios', iosShapes],
    ['nxos', nxosShapes],
  ] as const) {
    describe(platform, () => {
      const devices = ['r1', 'r2'].map((name) => device(name, platform));

      for (const shape of shapes) {
        it(`reads the ${shape.shape} and no other word of its line`, () => {
          for (const d of devices) {
            const text = shape.text.exec(d.body())?.[0];
            expect(text, `${d.name}: ${String(shape.text)}`).toBeDefined();
            expect(valuesOf(d.name, text ?? '')).toEqual(shape.values(d.ownSecrets).sort());
          }
        });
      }

      it("finds every one of a device's own secrets in its config, each its own and the sweep's token", async () => {
        const [r1, r2] = devices as [Device, Device];
        const own = (d: Device) => shapes.flatMap((s) => s.values(d.ownSecrets));
        expect(new Set([...own(r1), ...own(r2)]).size).toBe(own(r1).length + own(r2).length);
        for (const d of devices) {
          const body = d.body();
          const found = valuesOf(d.name, body);
          expect(found).toEqual(expect.arrayContaining(own(d)));
          // Nothing else but the lab's credentials and values stored encoded (type 7 hex, hashes).
          const shared = Object.values(credentials);
          expect(
            found.filter(
              (v) => !own(d).includes(v) && !shared.includes(v) && !/^(?:\d\d[0-9A-F]+|\$[15]\$\S+)$/.test(v),
            ),
          ).toEqual([]);
          // A leak of the config as it is shows every one of them to the sweep.
          for (const value of own(d)) {
            const hits = await sweep([{ label: 'own', value, token: true }], { texts: { config: body } });
            expect(hits, value).not.toEqual([]);
          }
        }
      });
    });
  }

  it('draws values of at least six characters that a thousand devices never share', () => {
    const all = Array.from({ length: 1000 }, (_, i) => {
      const o = ownSecrets('ios', seeded(i + 1));
      const { inbound, outbound } = o.sessionKeys;
      return [
        o.numericCommunity,
        o.keywordCommunity,
        o.ntpKey,
        o.sapPmk,
        o.ldpOption,
        o.ldpFallback,
        o.eigrp,
        o.isakmpNumeric,
        inbound.cipher,
        inbound.authenticator,
        outbound.cipher,
        outbound.authenticator,
        o.radiusKey,
        o.tacacsKey,
        o.mailPassword,
      ];
    }).flat();
    expect(all.filter((v) => v.length < 6)).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('sweep', () => {
  it('finds a token secret between the colon and the at sign of user:password@host', async () => {
    const secret = { label: 'mail password', value: 'Q7KX2M9PLA', token: true };
    const leaked = ' action 1.0 mail server "eem:Q7KX2M9PLA@192.0.2.86" to "noc@lab.example"';
    expect(await sweep([secret], { texts: { log: leaked } })).toEqual([
      { secret: 'mail password', where: 'log' },
    ]);
    expect(await sweep([secret], { texts: { log: leaked.replace('Q7KX2M9PLA', '<removed>') } })).toEqual([]);
  });
});
