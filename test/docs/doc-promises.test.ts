/**
 * What docs/jobs.md, docs/cli.md and docs/backup.md promise about paths, locks and plans, checked
 * through the built CLI as a user would meet them: a job run from another folder, a run that finds
 * its job locked, and the TFTP address a plan says devices will be told.
 */
import { mkdir, readdir, realpath, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/runner/lock.js';
import { tasks } from '../../src/tasks/registry.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { closedTcpPort } from '../helpers/tcp-listener.js';

const root = useTempDir('netops-doc-promises-');
// A port nothing listens on: the reachable step fails at once (refused), no device is needed.
const closed = useStarted(closedTcpPort);

beforeAll(async () => {
  await mkdir(path.join(root, 'site', 'jobs'), { recursive: true });
  await mkdir(path.join(root, 'elsewhere'));
  await writeFile(
    path.join(root, 'site', 'inventory.yaml'),
    `credentials:
  noc: { username: netops, password: { env: DOC_PROMISES_PASSWORD } }
defaults: { credentials: noc, platform: ios }
hosts:
  r1: { address: 127.0.0.1, port: ${closed.port} }
  r1-v6: { address: "2001:db8::1" }
  r1-name: { address: r1.example.net }
`,
  );
});

const env = { DOC_PROMISES_PASSWORD: 'example' };

async function job(name: string, body: string): Promise<string> {
  const file = path.join(root, 'site', 'jobs', `${name}.yaml`);
  await writeFile(file, `name: ${name}\ninventory: ../inventory.yaml\n${body}`);
  return file;
}

describe('jobs.md: every path in a job is relative to the job file', () => {
  it('puts run records in `records` next to the job file, whatever the current folder', async () => {
    const file = await job('records', 'records: out\nlimit: r1\nsteps:\n  - task: reachable\n');
    const elsewhere = path.join(root, 'elsewhere');
    const result = await runNetops(['run', file, '--quiet'], {
      cwd: elsewhere,
      env: { ...env, NETOPS_STATE_DIR: path.join(root, 'state') },
    });
    expect(result.code, result.stderr).toBe(1); // the port is closed: the host fails, the record is written
    const records = (await readdir(path.join(root, 'site', 'jobs', 'out'))).filter((f) =>
      f.endsWith('.json'),
    );
    expect(records).toHaveLength(1);
    expect(await readdir(elsewhere)).toEqual([]);
  });
});

describe('cli.md: a run that finds its job locked', () => {
  it('exits 1 with LOCKED naming the holder, as documented, and writes no record', async () => {
    const file = await job('locked', 'limit: r1\nsteps:\n  - task: reachable\n');
    const state = path.join(root, 'lock-state');
    const held = await acquireRunLock({ job: 'locked', jobFile: file, dir: path.join(state, 'locks') });
    try {
      const result = await runNetops(['run', file], {
        cwd: path.join(root, 'elsewhere'),
        env: { ...env, NETOPS_STATE_DIR: state },
      });
      expect(result.code).toBe(1);
      const real = await realpath(file);
      const [first, hint] = result.stderr.split('\n');
      const holder = `pid ${process.pid} on ${os.hostname()}, job locked (${real}), started `;
      expect(first).toMatch(/^netops: LOCKED: another run of "locked" is in progress \(.*\)$/);
      expect(first).toContain(holder);
      expect(hint).toMatch(/^ {2}hint: Try again when it has finished/);
      await expect(readdir(path.join(root, 'site', 'jobs', 'runs'))).rejects.toThrow(/ENOENT/);
    } finally {
      await held.release();
    }
  });
});

describe('backup.md: the plan shows the TFTP server address each device will be told', () => {
  it("per family, from the job's listen addresses or advertise, and what to set when there is none", async () => {
    const listen = await job(
      'plan-listen',
      "tftp: { listen: ['198.18.100.10', '[2001:db8:100::10]:69'] }\nsteps:\n  - task: backup\n    params: { method: tftp-cli }\n",
    );
    const planned = await runNetops(['run', listen, '--plan'], { env });
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('copy running-config tftp://198.18.100.10/r1-RANDOM-confg');
    expect(planned.stdout).toContain('copy running-config tftp://[2001:db8:100::10]/r1-v6-RANDOM-confg');
    expect(planned.stdout).toContain(
      'tftp://198.18.100.10/r1-name-RANDOM-confg (over IPv4) or tftp://[2001:db8:100::10]/r1-name-RANDOM-confg (over IPv6)',
    );
    expect(planned.stdout).not.toContain('SERVER');

    const advertised = await job(
      'plan-advertise',
      'tftp: { advertise: { ipv4: 192.0.2.69 } }\nsteps:\n  - task: backup\n    params: { method: tftp-cli }\n',
    );
    const partial = await runNetops(['run', advertised, '--plan'], { env });
    expect(partial.stdout).toContain('copy running-config tftp://192.0.2.69/r1-RANDOM-confg');
    expect(partial.stdout).toContain(
      'copy running-config tftp://<set tftp.advertise.ipv6>/r1-v6-RANDOM-confg',
    );
  });
});

describe('inventory.md: data merges mappings at every depth', () => {
  it('keeps keys from every layer, while a closer list or value replaces the farther one whole', async () => {
    const file = path.join(root, 'merge.yaml');
    await writeFile(
      file,
      `defaults:
  data: { ntp: { server: 198.18.0.123, source: Loopback0, keys: [1, 2] }, snmp: { location: hq } }
groups:
  edge:
    data: { ntp: { keys: [7] }, snmp: lab }
hosts:
  r1: { address: 198.18.0.1, groups: [edge], data: { ntp: { source: Vlan10 } } }
`,
    );
    const result = await runNetops(['inventory', 'list', '-i', file, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const [host] = JSON.parse(result.stdout) as Array<{ data: unknown }>;
    expect(host?.data).toEqual({ ntp: { server: '198.18.0.123', source: 'Vlan10', keys: [7] }, snmp: 'lab' });
  });
});

describe('jobs.md: netops tasks', () => {
  it('lists every task a step can name, with what it does and its parameters', async () => {
    const result = await runNetops(['tasks']);
    expect(result.code).toBe(0);
    for (const task of Object.values(tasks))
      expect(result.stdout).toContain(`${task.name}: ${task.summary}\n  params: `);
    expect(result.stdout).toContain('timeoutMs (default 5000)');
  });
});
