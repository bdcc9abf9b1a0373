/**
 * The SNMP client against a real Debian snmpd: system group and ENTITY-MIB over udp4 and udp6,
 * SNMPv2c and SNMPv3 authPriv (SHA/AES), and the errors a wrong key or community produces.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { openSnmpSession } from '../../src/snmp/session.js';
import { readSystem } from '../../src/snmp/system.js';
import { readEntities } from '../../src/snmp/entity.js';
import { startSnmpd, type SnmpdFixture } from '../fixtures/snmpd/agent.mjs';
import { useStarted } from '../helpers/fixture.js';
import { plainSecret, snmpHost } from './hosts.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/snmpd/ios-router.json', import.meta.url), 'utf8'),
) as SnmpdFixture;
const v3 = { user: 'netops', authKey: 'auth-secret-1', privKey: 'priv-secret-1' };
const agent = useStarted(() => startSnmpd(fixture, { community: 'lab-ro', v3 }));

const v2c = (port: number) => ({ version: '2c' as const, community: { value: 'lab-ro' }, port });
const v3Settings = (port: number, authKey = v3.authKey) => ({
  version: '3' as const,
  user: v3.user,
  level: 'authPriv' as const,
  authProtocol: 'sha' as const,
  authKey: { value: authKey },
  privProtocol: 'aes' as const,
  privKey: { value: v3.privKey },
  port,
});

describe.each([
  ['udp4 v2c', () => snmpHost('r1', '127.0.0.1', v2c(agent.port4))],
  ['udp6 v2c', () => snmpHost('r1', '::1', v2c(agent.port6))],
  ['udp6 v3 authPriv', () => snmpHost('r1', '::1', v3Settings(agent.port6))],
  ['udp4 v3 authPriv', () => snmpHost('r1', '127.0.0.1', v3Settings(agent.port4))],
])('%s', (_label, host) => {
  it('reads the system group and every entity row with containment', async () => {
    const session = await openSnmpSession(host(), { secret: plainSecret });
    try {
      const system = await readSystem(session);
      expect(system.descr).toBe(fixture.system.descr);
      expect(system.objectId).toBe(fixture.system.objectId);
      expect(system.name).toBe('r1.lab.example');
      expect(system.location).toBe('Site A, rack 4');
      expect(system.upTimeTicks).toBeGreaterThanOrEqual(0);

      // A small max-repetitions forces many GETBULK round trips across column boundaries.
      const entities = await readEntities(session, { maxRepetitions: 7 });
      expect(entities.map((e) => e.index)).toEqual(fixture.entities.map((e) => e.index));
      const module2 = entities.find((e) => e.name === 'module 2');
      expect(module2).toMatchObject({
        class: 'module',
        model: 'HWIC-4ESW',
        serial: 'FOC1234',
        hardwareRev: 'V02',
        isFru: true,
        containedIn: 5,
      });
      expect(entities[0]).toMatchObject({
        class: 'chassis',
        containedIn: 0,
        isFru: false,
        firmwareRev: '15.0(1r)M16',
        vendorType: '1.3.6.1.4.1.9.12.3.1.3.1041',
      });
      expect(entities.find((e) => e.index === 7)?.class).toBe('powerSupply');
      expect(entities.find((e) => e.index === 8)?.class).toBe('fan');
    } finally {
      session.close();
    }
  });
});

describe('errors', () => {
  it('names the host and the USM report when the SNMPv3 auth key is wrong', async () => {
    const session = await openSnmpSession(
      snmpHost('core-sw1', '::1', v3Settings(agent.port6, 'not-the-key')),
      { secret: plainSecret, timeoutMs: 1000, retries: 0 },
    );
    try {
      const error = await readSystem(session).catch((e: unknown) => e);
      expect(isNetopsError(error, 'SNMP_AUTH')).toBe(true);
      if (!isNetopsError(error)) return;
      expect(error.message).toBe(
        `core-sw1 ([::1] udp/${agent.port6}, SNMPv3 user netops): GET 1.3.6.1.2.1.1.1.0 and 5 more refused, the agent answered with report usmStatsWrongDigests (1.3.6.1.6.3.15.1.1.5.0)`,
      );
      expect(error.host).toBe('core-sw1');
      expect(error.hint).toContain('authKey');
      expect(error.message).not.toContain('not-the-key');
    } finally {
      session.close();
    }
  });

  it('reports a wrong community as a time-out naming host, address and tries', async () => {
    const host = snmpHost('r9', '127.0.0.1', {
      version: '2c',
      community: { value: 'wrong' },
      port: agent.port4,
    });
    const session = await openSnmpSession(host, { secret: plainSecret, timeoutMs: 200, retries: 1 });
    try {
      const error = await readSystem(session).catch((e: unknown) => e);
      expect(isNetopsError(error, 'SNMP_TIMEOUT')).toBe(true);
      if (!isNetopsError(error)) return;
      expect(error.message).toMatch(
        /^r9 \(127\.0\.0\.1 udp\/\d+, SNMPv2c\): no answer .* after 2 tries of 200 ms$/,
      );
      expect(error.transient).toBe(true);
      expect(error.hint).toContain('community');
    } finally {
      session.close();
    }
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const host = snmpHost('r9', '127.0.0.1', {
      version: '2c',
      community: { value: 'wrong' },
      port: agent.port4,
    });
    const session = await openSnmpSession(host, {
      secret: plainSecret,
      timeoutMs: 10_000,
      retries: 3,
      signal: controller.signal,
    });
    const pending = readSystem(session).catch((e: unknown) => e);
    controller.abort();
    expect(isNetopsError(await pending, 'ABORTED')).toBe(true);
  });
});
