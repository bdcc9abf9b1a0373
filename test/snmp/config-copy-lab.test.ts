/**
 * The CISCO-CONFIG-COPY-MIB client against the lab's simulated SNMP agent: the device receives the
 * copy the one SET asked for (IPv4 via .5, IPv6 via .15/.16), a failure surfaces as SNMP_COPY_FAILED
 * naming ccCopyFailCause, and the row is destroyed either way.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startSnmpAgent } from '../../src/lab/snmp/agent.js';
import { copyFailure, type CopyRequest, type SnmpDeviceView } from '../../src/lab/snmp/device-view.js';
import { isNetopsError } from '../../src/core/errors.js';
import { copyConfig } from '../../src/snmp/config-copy.js';
import { openSnmpSession, type SnmpSession } from '../../src/snmp/session.js';
import { useStarted } from '../helpers/fixture.js';
import { plainSecret, snmpHost } from './hosts.js';

const requests: CopyRequest[] = [];
let failNext: 'timeout' | undefined;
/** A copy that never finishes until released, to test aborting the wait. */
let hold: Promise<void> | undefined;

const device: SnmpDeviceView = {
  system: () => ({
    descr: 'Cisco IOS Software',
    objectId: '1.3.6.1.4.1.9.1.1041',
    upTimeTicks: 1,
    contact: '',
    name: 'r1',
    location: '',
    services: 6,
  }),
  entities: () => [],
  async copyConfig(request) {
    requests.push(request);
    if (hold) await hold;
    if (failNext) {
      const cause = failNext;
      failNext = undefined;
      throw copyFailure(cause, 'TFTP server did not answer');
    }
  },
};

const agent = useStarted(() =>
  startSnmpAgent(device, {
    address: ['127.0.0.1', '::1'],
    port: 0,
    communities: { read: ['public'], write: ['private'] },
  }),
);

async function withSession<T>(
  address: string,
  use: (s: SnmpSession) => Promise<T>,
  port = agent.port,
): Promise<T> {
  const host = snmpHost('r1', address, {
    version: '2c',
    community: { value: 'public' },
    writeCommunity: { value: 'private' },
    port,
  });
  const session = await openSnmpSession(host, { secret: plainSecret, write: true, timeoutMs: 1000 });
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

const copyRows = (s: SnmpSession) => s.walk('1.3.6.1.4.1.9.9.96.1.1.1.1.14');

describe('copyConfig against the lab agent', () => {
  it('backs up running-config to an IPv4 TFTP server and destroys the row', async () => {
    await withSession('127.0.0.1', async (s) => {
      const result = await copyConfig(
        s,
        { source: 'runningConfig', dest: 'networkFile', server: '127.0.0.1', fileName: 'r1-confg' },
        { pollIntervalMs: 50 },
      );
      expect(result.polls).toBeGreaterThanOrEqual(1);
      expect(requests.at(-1)).toMatchObject({
        source: 'runningConfig',
        dest: 'networkFile',
        server: { family: 4, address: '127.0.0.1' },
        filename: 'r1-confg',
      });
      expect(await copyRows(s)).toEqual([]);
    });
  });

  it('sends an IPv6 server address through ccCopyServerAddressType/Rev1', async () => {
    await withSession('::1', async (s) => {
      await copyConfig(
        s,
        { source: 'runningConfig', dest: 'networkFile', server: '::1', fileName: 'r1-confg' },
        { pollIntervalMs: 50 },
      );
      expect(requests.at(-1)?.server).toEqual({ family: 6, address: '::1' });
    });
  });

  it('reports the fail cause and still destroys the row', async () => {
    failNext = 'timeout';
    await withSession('127.0.0.1', async (s) => {
      const error = await copyConfig(
        s,
        { source: 'runningConfig', dest: 'networkFile', server: '127.0.0.1', fileName: 'r1-confg' },
        { pollIntervalMs: 50 },
      ).catch((e: unknown) => e);
      expect(isNetopsError(error, 'SNMP_COPY_FAILED')).toBe(true);
      if (!isNetopsError(error)) return;
      expect(error.message).toBe(
        'r1: config copy runningConfig -> networkFile (r1-confg) failed: ccCopyFailCause timeout',
      );
      expect(error.details).toMatchObject({ failCause: 'timeout' });
      expect(await copyRows(s)).toEqual([]);
    });
  });

  it('stops polling with ABORTED when the signal aborts, and destroys the row', async () => {
    let release = (): void => undefined;
    hold = new Promise((resolve) => (release = resolve));
    const controller = new AbortController();
    await withSession('127.0.0.1', async (s) => {
      const pending = copyConfig(
        s,
        { source: 'runningConfig', dest: 'startupConfig' },
        { pollIntervalMs: 50, signal: controller.signal },
      ).catch((e: unknown) => e);
      await expect.poll(() => requests.at(-1)?.dest).toBe('startupConfig');
      controller.abort();
      expect(isNetopsError(await pending, 'ABORTED')).toBe(true);
      expect(await copyRows(s)).toEqual([]);
    });
    release();
    hold = undefined;
  });

  it('saves running-config to startup-config with no server', async () => {
    await withSession('127.0.0.1', async (s) => {
      await copyConfig(s, { source: 'runningConfig', dest: 'startupConfig' }, { pollIntervalMs: 50 });
      expect(requests.at(-1)).toMatchObject({ source: 'runningConfig', dest: 'startupConfig' });
      expect(requests.at(-1)?.server).toBeUndefined();
    });
  });

  it("takes a createAndGo refused as inconsistentValue for its own row as done: the first SET's response was lost", async () => {
    // A relay that loses the agent's first answer: the client sends the SET again, the agent
    // (which created the row) answers inconsistentValue, as RFC 2579 says.
    const relay = createSocket('udp4');
    const upstream = createSocket('udp4');
    let client: RemoteInfo | undefined;
    let dropped = 0;
    relay.on('message', (msg, from) => {
      client = from;
      upstream.send(msg, agent.port, '127.0.0.1');
    });
    upstream.on('message', (msg) => {
      if (dropped++ === 0) return;
      if (client) relay.send(msg, client.port, client.address);
    });
    relay.bind(0, '127.0.0.1');
    await once(relay, 'listening');
    const before = requests.length;
    try {
      await withSession(
        '127.0.0.1',
        async (s) => {
          await copyConfig(
            s,
            { source: 'runningConfig', dest: 'networkFile', server: '127.0.0.1', fileName: 'lost-ack' },
            { pollIntervalMs: 50 },
          );
          expect(await copyRows(s)).toEqual([]);
        },
        relay.address().port,
      );
    } finally {
      relay.close();
      upstream.close();
    }
    expect(dropped).toBeGreaterThan(1);
    // The device made the one copy asked for.
    expect(requests.slice(before).map((r) => r.filename)).toEqual(['lost-ack']);
  });
});
