/**
 * TFTP and SNMP through a path that loses, duplicates and reorders datagrams (the seeded proxy of the
 * TFTP tests; the lab kernel has no netem). Every transfer is byte-identical or fails with a precise
 * reason, never a silent difference: our server with the tftp-hpa and atftp clients, our client with
 * tftpd-hpa, and our SNMP client (v2c and v3 authPriv) with a lab device's agent.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnmpSettings } from '../../src/config/model.js';
import { isNetopsError } from '../../src/core/errors.js';
import { Device } from '../../src/lab/device/device.js';
import { snmpView } from '../../src/lab/device/snmp-view.js';
import { startSnmpAgent } from '../../src/lab/snmp/agent.js';
import { openSnmpSession } from '../../src/snmp/session.js';
import { TftpClientError, tftpGet, tftpPut } from '../../src/tftp/client.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { plainSecret, snmpHost } from '../snmp/hosts.js';
import { startLossyProxy, type LossyProxy } from '../tftp/lossy-proxy.js';
import { run, sameBytes, startTftpdHpa } from '../tftp/peers.js';
import { startServer } from '../tftp/server-fixture.js';
import { fullSize, reportFigures, scale } from './scale.js';
import { sweep } from './secret-sweep.js';

const faults = { drop: 0.1, duplicate: 0.05, delay: 0.07 };
const sizes = [700, 512 * 4, 20_000];

interface Outcome {
  readonly transfer: string;
  /** 'identical', or the reason the transfer failed as the failing side reported it. */
  readonly result: string;
}

const outcomes: Outcome[] = [];
/** Generous: every lost packet costs a retransmission time-out, and the machine may be loaded. */
const limit = { timeout: (fullSize ? 20 : 1) * 120_000 };
const failureReason = /timed? ?out|timeout|error|refused|aborted/i;

/** One transfer through a fresh proxy: the seed names it, so a failing one can be replayed. */
async function throughProxy<T>(
  port: number,
  seed: number,
  transfer: (proxy: LossyProxy) => Promise<T>,
): Promise<T> {
  const proxy = await startLossyProxy(port, { ...faults, seed });
  try {
    return await transfer(proxy);
  } finally {
    await proxy.close();
  }
}

function record(transfer: string, result: string): void {
  outcomes.push({ transfer, result });
  // A failure must say why; a success must be exact. Anything else is a silent corruption.
  if (result !== 'identical') expect(result, transfer).toMatch(failureReason);
}

describe('our TFTP server with Debian clients, through loss, duplication and reordering', () => {
  const fixture = useStarted(() => startServer({ timeoutMs: 300, retries: 10 }));
  const work = useTempDir('netops-lossy-clients-', 0o777);

  // tftp-hpa takes its retransmission time-out from the interactive `rexmt` command; atftp from
  // --tftp-timeout (seconds, both): 1 s keeps a lost packet from costing the default 5 s.
  const clients = {
    'tftp-hpa': {
      put: (port: number, local: string, remote: string) =>
        run(
          'tftp',
          ['-4', '127.0.0.1', String(port)],
          `binary\nrexmt 1\ntimeout 30\nput ${local} ${remote}\nquit\n`,
        ),
      get: (port: number, remote: string, local: string) =>
        run(
          'tftp',
          ['-4', '127.0.0.1', String(port)],
          `binary\nrexmt 1\ntimeout 30\nget ${remote} ${local}\nquit\n`,
        ),
    },
    atftp: {
      put: (port: number, local: string, remote: string) =>
        run('atftp', ['--tftp-timeout', '1', '-p', '-l', local, '-r', remote, '127.0.0.1', String(port)]),
      get: (port: number, remote: string, local: string) =>
        run('atftp', ['--tftp-timeout', '1', '-g', '-r', remote, '-l', local, '127.0.0.1', String(port)]),
    },
  };

  describe.each(Object.entries(clients))('%s', (name, client) => {
    it(
      `uploads and downloads ${scale.lossyTransfers} x ${sizes.length} files: byte-identical or a named failure`,
      limit,
      async () => {
        for (let n = 0; n < scale.lossyTransfers; n++) {
          for (const size of sizes) {
            const seed = n * 100_000 + size + (name === 'atftp' ? 7 : 0);
            const data = randomBytes(size);
            const tag = `${name}-${seed}`;
            const local = join(work, `${tag}.src`);
            await writeFile(local, data);
            const put = await throughProxy(fixture.port('127.0.0.1'), seed, () =>
              client.put(fixture.port('127.0.0.1'), local, `${tag}.bin`),
            );
            // tftp-hpa exits 0 even when a transfer failed; its message is on stdout or stderr.
            const putSaid = `${put.stdout}${put.stderr}`.trim();
            const stored = join(fixture.root, `${tag}.bin`);
            if (existsSync(stored)) {
              // The server commits an upload only when it is complete: a file there must be exact.
              expect(sameBytes(await readFile(stored), data), `${tag} upload`).toBe('identical');
              record(`${tag} upload`, 'identical');
            } else {
              record(`${tag} upload`, putSaid || `exit ${put.code}, nothing said`);
            }

            await writeFile(join(fixture.root, `${tag}.dl`), data);
            const back = join(work, `${tag}.back`);
            const get = await throughProxy(fixture.port('127.0.0.1'), seed + 1, () =>
              client.get(fixture.port('127.0.0.1'), `${tag}.dl`, back),
            );
            const getSaid = `${get.stdout}${get.stderr}`.trim();
            const received = existsSync(back) ? await readFile(back) : undefined;
            if (received && received.equals(data)) record(`${tag} download`, 'identical');
            else
              record(
                `${tag} download`,
                getSaid || `exit ${get.code}, ${received ? sameBytes(received, data) : 'no file'}`,
              );
          }
        }
      },
    );
  });
});

describe('our TFTP client with tftpd-hpa, through loss, duplication and reordering', () => {
  const root = useTempDir('netops-lossy-tftpd-', 0o777);
  // Its first retransmission after 100 ms instead of 1 s: a lost packet costs the test less.
  const tftpd = useStarted(() => startTftpdHpa(root, '127.0.0.1', ['-T', '100000']));

  it(
    `downloads and uploads ${scale.lossyTransfers} x ${sizes.length} files: byte-identical or a TftpClientError`,
    limit,
    async () => {
      // The time-out doubles per retry: 0.1 + 0.2 + ... + 1.6 s before a transfer is given up. A lost
      // final ACK fails an upload that arrived whole: tftpd-hpa does not answer the sender's resends.
      const timing = { timeoutMs: 100, retries: 4 };
      for (let n = 0; n < scale.lossyTransfers; n++) {
        for (const size of sizes) {
          const seed = n * 100_000 + size + 13;
          const data = randomBytes(size);
          await writeFile(join(root, `dl-${seed}`), data);
          try {
            const got = await throughProxy(tftpd.port, seed, (proxy) =>
              tftpGet({ server: '127.0.0.1', port: proxy.port, filename: `dl-${seed}`, ...timing }),
            );
            expect(sameBytes(got, data), `download ${seed}`).toBe('identical');
            record(`client download ${seed}`, 'identical');
          } catch (error) {
            expect(error).toBeInstanceOf(TftpClientError);
            record(
              `client download ${seed}`,
              `${(error as TftpClientError).kind}: ${(error as Error).message}`,
            );
          }
          try {
            await throughProxy(tftpd.port, seed + 1, (proxy) =>
              tftpPut({ server: '127.0.0.1', port: proxy.port, filename: `ul-${seed}`, data, ...timing }),
            );
            // tftpd-hpa writes in place: when the client saw every block acknowledged the file is whole.
            expect(sameBytes(await readFile(join(root, `ul-${seed}`)), data), `upload ${seed}`).toBe(
              'identical',
            );
            record(`client upload ${seed}`, 'identical');
          } catch (error) {
            expect(error).toBeInstanceOf(TftpClientError);
            record(
              `client upload ${seed}`,
              `${(error as TftpClientError).kind}: ${(error as Error).message}`,
            );
          }
        }
      }
    },
  );
});

describe('SNMP through loss, duplication and reordering', () => {
  const community = 'lossy-community-Vd4k';
  const v3 = { user: 'lossy-ops', authKey: 'lossy-auth-Jq6n', privKey: 'lossy-priv-Zr9s' };
  let device: Device;
  beforeAll(async () => {
    device = new Device({
      name: 'r1',
      platform: 'ios',
      seed: 1,
      sizeBytes: 5000,
      username: 'admin',
      password: 'unused-here',
      enableSecret: 'unused-here',
      readCommunity: community,
      writeCommunity: 'unused-rw',
      loopback: { ipv4: '10.254.254.1', ipv6: 'fd00:254::1' },
      mgmt: { ipv4: '192.0.2.2', ipv6: '2001:db8::2' },
      tftpSourceLoopback: false,
      bootMs: 0,
      tftpPort: 69,
      faults: {},
    });
  });
  const agent = useStarted(() =>
    startSnmpAgent(snmpView(device), {
      address: '127.0.0.1',
      port: 0,
      communities: { read: [community], write: [] },
      v3Users: [{ name: v3.user, level: 'authPriv', authKey: v3.authKey, privKey: v3.privKey }],
    }),
  );

  const settings = (port: number): Record<string, SnmpSettings> => ({
    v2c: { version: '2c', community: { value: community }, port } as SnmpSettings,
    v3: {
      version: '3',
      user: v3.user,
      level: 'authPriv',
      authProtocol: 'sha',
      authKey: { value: v3.authKey },
      privProtocol: 'aes',
      privKey: { value: v3.privKey },
      port,
    } as SnmpSettings,
  });

  it.each(['v2c', 'v3'])(
    `%s: ${scale.lossySnmpRequests} GETs and walks answer exactly as without loss, or time out naming the host`,
    limit,
    async (version) => {
      const oids = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.5.0'];
      const entity = '1.3.6.1.2.1.47.1.1.1.1.2';
      const open = (port: number) =>
        openSnmpSession(snmpHost('r1', '127.0.0.1', settings(port)[version]!), {
          secret: plainSecret,
          timeoutMs: 300,
          retries: 3,
        });
      const direct = await open(agent.port);
      const want = {
        get: (await direct.get(oids)).map((vb) => String(vb.value)),
        walk: (await direct.walk(entity)).map((vb) => `${vb.oid}=${String(vb.value)}`),
      };
      direct.close();
      const messages: string[] = [];
      for (let n = 0; n < scale.lossySnmpRequests; n++) {
        const seed = 900_000 + n + (version === 'v3' ? 50_000 : 0);
        await throughProxy(agent.port, seed, async (proxy) => {
          const session = await open(proxy.port);
          try {
            const walk = n % 2 === 1;
            const got = walk
              ? (await session.walk(entity)).map((vb) => `${vb.oid}=${String(vb.value)}`)
              : (await session.get(oids)).map((vb) => String(vb.value));
            expect(got, `request ${seed}`).toEqual(walk ? want.walk : want.get);
            record(`snmp ${version} ${seed}`, 'identical');
          } catch (error) {
            expect(isNetopsError(error, 'SNMP_TIMEOUT'), String(error)).toBe(true);
            expect((error as Error).message).toContain('r1');
            messages.push((error as Error).message, (error as { hint: string }).hint);
            record(`snmp ${version} ${seed}`, (error as Error).message);
          } finally {
            session.close();
          }
        });
      }
      const secrets = [
        { label: 'community', value: community },
        { label: 'v3 auth key', value: v3.authKey },
        { label: 'v3 priv key', value: v3.privKey },
      ];
      expect(await sweep(secrets, { texts: { 'SNMP error messages': messages.join('\n') } })).toEqual([]);
    },
  );
});

afterAll(() => {
  const failed = outcomes.filter((o) => o.result !== 'identical');
  reportFigures('network-faults', {
    faults,
    fullSize,
    transfers: outcomes.length,
    identical: outcomes.length - failed.length,
    failed: failed.length,
    failures: failed.slice(0, 20),
  });
});
