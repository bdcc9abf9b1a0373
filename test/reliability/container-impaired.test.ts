/**
 * The reliability suite on the container lab: devices in podman containers whose links lose,
 * delay, jitter and reorder packets in the kernel (docs/lab-impairment.md), backed up by a plain
 * `netops run` with every method over IPv4 and IPv6. Every host must end `changed` with its whole
 * config: TFTP's retransmissions, the SNMP session's retries and TCP have to carry the backup
 * through; an unimpaired device beside them is the control.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { useContainerLab } from '../helpers/container-lab.js';
import { useTempDir } from '../helpers/fixture.js';
import { runNetops } from '../helpers/netops-cli.js';

const impaired = {
  toDevice: { lossPercent: 5, delayMs: 30, jitterMs: 10, reorderPercent: 5 },
  fromDevice: { lossPercent: 5, delayMs: 30, jitterMs: 10 },
};
const lab = useContainerLab(
  {
    devices: [
      { name: 'r1', platform: 'ios', impair: impaired },
      { name: 'n1', platform: 'nxos', impair: impaired },
      { name: 'r2', platform: 'ios' },
    ],
  },
  'netops-container-impaired-',
);
const work = useTempDir('netops-container-impaired-run-');
const methods = ['tftp-cli', 'tftp-snmp', 'show'];

interface InventoryHost {
  address: string;
  data: Record<string, unknown>;
}

let record: RunRecord;
let runOutput: string;

beforeAll(async () => {
  const inventory = parse(await readFile(path.join(lab.dir, 'container-inventory.yaml'), 'utf8')) as {
    hosts: Record<string, InventoryHost>;
  };
  const hosts: Record<string, InventoryHost> = {};
  for (const [name, host] of Object.entries(inventory.hosts)) {
    for (const method of methods) {
      hosts[`${name}-${method}`] = { ...host, data: { ...host.data, backupMethods: [method] } };
    }
  }
  await writeFile(path.join(work, 'inventory.yaml'), stringify({ ...inventory, hosts }));
  const { gateway } = lab.state.network;
  await writeFile(
    path.join(work, 'job.yaml'),
    stringify({
      inventory: 'inventory.yaml',
      concurrency: 6,
      trustNewHostKeys: true,
      tftp: { listen: [`${gateway.ipv4}:69`, `[${gateway.ipv6}]:69`], timeout: 60 },
      store: { dir: 'store' },
      steps: [{ task: 'backup', params: { method: 'auto' } }],
    }),
  );
  const run = await runNetops(['run', 'job.yaml', '--json'], {
    cwd: work,
    env: { ...lab.env, NETOPS_STATE_DIR: path.join(work, 'state') },
  });
  runOutput = `exit ${run.code}\n${run.stderr}`;
  record = runRecordSchema.parse(JSON.parse(run.stdout));
}, 900_000);

describe('a backup over impaired container links', () => {
  it('stores every host with every method over IPv4 and IPv6, whole, as the unimpaired control does', async () => {
    // 3 devices x 2 families x 3 methods.
    expect(record.hosts, runOutput).toHaveLength(18);
    for (const host of record.hosts) {
      const step = host.steps[0];
      expect(step?.status, `${host.host}: ${step?.error?.message ?? ''}`).toBe('changed');
      const stored = await readFile(path.join(work, 'store', 'configs', `${host.host}.cfg`), 'utf8');
      const device = host.host.split('-')[0] ?? '';
      expect(stored, host.host).toMatch(new RegExp(`^hostname ${device}$`, 'm'));
      if (device !== 'n1') expect(stored.trimEnd().endsWith('end'), host.host).toBe(true);
    }
    // The same device's config arrived identical by every method and family, impaired or not.
    for (const device of ['r1', 'n1', 'r2']) {
      const copies = await Promise.all(
        record.hosts
          .filter((h) => h.host.split('-')[0] === device)
          .map((h) => readFile(path.join(work, 'store', 'configs', `${h.host}.cfg`), 'utf8')),
      );
      expect(copies, device).toHaveLength(6);
      expect(new Set(copies).size, device).toBe(1);
    }
  });

  it('ran through the impairment the spec asked for: the lab applied it to r1 and n1 only', async () => {
    const state = JSON.parse(await readFile(path.join(lab.dir, 'container-lab.json'), 'utf8')) as {
      impairments?: Record<string, { impairment: unknown }>;
    };
    expect(Object.keys(state.impairments ?? {}).sort()).toEqual(['n1', 'r1']);
    expect(state.impairments?.['r1']?.impairment).toMatchObject({
      toDevice: { lossPercent: 5, delayMs: 30 },
    });
  });
});
