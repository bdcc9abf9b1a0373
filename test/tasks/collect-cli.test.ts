/**
 * `netops run` with a collect step, as a user runs it (the built binary): a real snmpd reached over
 * udp6 with SNMPv2c and over udp4 with SNMPv3 authPriv, keys from the environment; facts committed
 * to the store, the report the job asks for, and a host with a wrong key failing alone with an
 * error that names it and the USM report.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { runNetops } from '../helpers/netops-cli.js';
import { startSnmpd, type SnmpdFixture } from '../fixtures/snmpd/agent.mjs';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/snmpd/ios-router.json', import.meta.url), 'utf8'),
) as SnmpdFixture;
const env = {
  SNMP_RO: 'lab-ro',
  SNMP_AUTH: 'auth-secret-1',
  SNMP_PRIV: 'priv-secret-1',
  SNMP_BAD_AUTH: 'wrong-auth-key',
};
const agent = useStarted(() =>
  startSnmpd(fixture, {
    community: env.SNMP_RO,
    v3: { user: 'netops', authKey: env.SNMP_AUTH, privKey: env.SNMP_PRIV },
  }),
);
const dir = useTempDir('netops-collect-cli-');

beforeAll(async () => {
  await mkdir(path.join(dir, 'jobs'));
  const v3 = (authKeyEnv: string) =>
    `{ version: 3, port: ${agent.port4}, user: netops, level: authPriv, authProtocol: sha, authKey: { env: ${authKeyEnv} }, privProtocol: aes, privKey: { env: SNMP_PRIV } }`;
  await writeFile(
    path.join(dir, 'inventory.yaml'),
    `groups:
  branch: { platform: ios, data: { site: Site A } }
hosts:
  r1: { address: "::1", groups: [branch], snmp: { version: 2c, port: ${agent.port6}, community: { env: SNMP_RO } } }
  r2: { address: 127.0.0.1, groups: [branch], snmp: ${v3('SNMP_AUTH')} }
  r3: { address: 127.0.0.1, groups: [branch], snmp: ${v3('SNMP_BAD_AUTH')} }
`,
  );
  await writeFile(
    path.join(dir, 'jobs', 'inventory.yaml'),
    `inventory: ../inventory.yaml
concurrency: 3
store: { dir: ../store }
steps:
  - task: collect
    params:
      timeout: 20000
      retries: 0
      report: { out: ../reports/inventory.csv, format: csv }
`,
  );
});

describe('netops run with a collect step', () => {
  it('stores facts of the reachable hosts, commits them, writes the report, and fails only the host with a wrong key', async () => {
    const result = await runNetops(['run', 'jobs/inventory.yaml'], { cwd: dir, env });
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain('usmStatsWrongDigests');
    expect(output).toMatch(/r3.*SNMP_AUTH/);
    for (const secret of Object.values(env)) expect(output).not.toContain(secret);

    const r1 = JSON.parse(await readFile(path.join(dir, 'store', 'facts', 'r1.json'), 'utf8')) as {
      os: { version: string };
      entities: unknown[];
    };
    expect(r1.os.version).toBe('15.2(4)M7');
    expect(r1.entities).toHaveLength(8);
    const log = execFileSync('git', ['-C', path.join(dir, 'store'), 'log', '--format=%B'], {
      encoding: 'utf8',
    });
    expect(log).toContain('r1: first inventory: CISCO2911/K9 FTX1840ALBC, ios 15.2(4)M7, 8 entities');
    expect(log).toContain('r2: first inventory');
    expect(log).toContain('failed: r3');

    const csv = await readFile(path.join(dir, 'reports', 'inventory.csv'), 'utf8');
    const hosts = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(new Set(hosts)).toEqual(new Set(['r1', 'r2']));
    expect(hosts).toHaveLength(16);
  });
});
