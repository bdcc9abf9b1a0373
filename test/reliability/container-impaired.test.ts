/**
 * The reliability suite on the container lab: devices in podman containers whose links lose,
 * delay, jitter and reorder packets in the kernel (docs/lab-impairment.md), backed up by a plain
 * `netops run` with every method over IPv4 and IPv6. Every host must end `changed` with its whole
 * config: TFTP's retransmissions, the SNMP session's retries and TCP have to carry the backup
 * through; an unimpaired device beside them is the control.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/runner/run-record.js';
import { backupEveryMethod, useContainerLab } from '../helpers/container-lab.js';
import { useTempDir } from '../helpers/fixture.js';

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

let record: RunRecord;
let runOutput: string;

// At 5 % loss each way, a request and its one retry both go unanswered about 1 % of the time: an SNMP
// SET of tftp-snmp once failed so (SNMP_TIMEOUT). The job's retries carry a host over that, as a
// nightly job on a lossy link would be set up; every host must still end changed and whole.
const retries = 3;

beforeAll(async () => {
  ({ record, output: runOutput } = await backupEveryMethod(lab, work, () => methods, 6, retries));
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
