/**
 * The container lab end to end through the CLI, as a user runs it on the host: `netops run` backs up
 * every device with each method it has (simulated ios and nxos: TFTP via the CLI, TFTP via SNMP and
 * show; real FRR: show) over IPv4 and IPv6, into one store; and `netops lab export --containerlab`
 * writes the same lab as a containerlab topology that passes the project's schema.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkContainerlabTopology } from '../../../src/lab/container/containerlab-schema.js';
import type { RunRecord } from '../../../src/runner/run-record.js';
import { backupEveryMethod, useContainerLab, type ExpandedHost } from '../../helpers/container-lab.js';
import { useTempDir } from '../../helpers/fixture.js';
import { runNetops } from '../../helpers/netops-cli.js';

const lab = useContainerLab(
  {
    devices: [
      { name: 'r1', platform: 'ios' },
      { name: 'n1', platform: 'nxos' },
      { name: 'f1', platform: 'frr', asn: 65001, bgpNeighbors: ['f2'] },
      { name: 'f2', platform: 'frr', asn: 65002, bgpNeighbors: ['f1'] },
    ],
  },
  'netops-container-backup-',
);
const work = useTempDir('netops-container-backup-run-');

/** The methods each platform backs up with; FRR has no TFTP copy. */
const methods: Record<string, string[]> = {
  ios: ['tftp-cli', 'tftp-snmp', 'show'],
  nxos: ['tftp-cli', 'tftp-snmp', 'show'],
  frr: ['show'],
};

let expanded: ReadonlyMap<string, ExpandedHost>;
let record: RunRecord;
let runOutput: string;

beforeAll(async () => {
  ({ record, output: runOutput, expanded } = await backupEveryMethod(lab, work, (g) => methods[g] ?? [], 10));
}, 600_000);

describe('container lab through the CLI', () => {
  it('backs up every device with each of its methods over IPv4 and IPv6, in one run', async () => {
    // 2 simulated devices x 2 families x 3 methods + 2 FRR x 2 families x show.
    expect(expanded.size).toBe(16);
    expect(record.hosts.map((h) => h.host).sort(), runOutput).toEqual([...expanded.keys()].sort());
    for (const host of record.hosts) {
      const step = host.steps[0];
      const expected = expanded.get(host.host);
      expect(step?.status, `${host.host}: ${step?.error?.message ?? ''}`).toBe('changed');
      expect(step?.data, host.host).toMatchObject({ method: expected?.method });
      const stored = await readFile(path.join(work, 'store', 'configs', `${host.host}.cfg`), 'utf8');
      expect(stored, host.host).toMatch(new RegExp(`^hostname ${expected?.host.replace(/-v6$/, '')}$`, 'm'));
      // IOS and FRR configs close with `end`; NX-OS's have no closing line.
      if (!host.host.startsWith('n1')) expect(stored.trimEnd().endsWith('end'), host.host).toBe(true);
      else expect(stored, host.host).toMatch(/^version \S+$/m);
    }
    // The IPv6 hosts were reached on the devices' IPv6 addresses.
    const v6 = [...expanded.values()].filter((e) => e.host.endsWith('-v6'));
    expect(v6.length).toBe(8);
    expect(v6.every((e) => e.address.includes(':'))).toBe(true);
  });

  it('exports the lab as a containerlab topology that passes the schema', async () => {
    const file = path.join(work, 'netops.clab.yml');
    const run = await runNetops(['lab', 'export', '--dir', lab.dir, '--containerlab', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/5 linux nodes, 1 links/);
    const topology = checkContainerlabTopology(parse(await readFile(file, 'utf8')), file);
    const { nodes } = topology.topology;
    expect(Object.keys(nodes).sort()).toEqual(['f1', 'f2', 'n1', 'r1', 'terminal-server']);
    for (const device of lab.state.devices) {
      expect(nodes[device.name], device.name).toMatchObject({
        kind: 'linux',
        image: device.image,
        'mgmt-ipv4': device.addresses.ipv4,
        'mgmt-ipv6': device.addresses.ipv6,
        group: device.platform,
      });
    }
    expect(topology.mgmt).toMatchObject({
      network: lab.state.network.name,
      'ipv4-subnet': lab.state.network.subnet.ipv4,
      'ipv6-subnet': lab.state.network.subnet.ipv6,
    });
    expect(topology.topology.links).toEqual([{ endpoints: ['f1:eth1', 'f2:eth1'] }]);
  });

  it('refuses to export a folder without a container lab, exit 2, writing nothing', async () => {
    const file = path.join(work, 'none.clab.yml');
    const run = await runNetops(['lab', 'export', '--dir', work, '--containerlab', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CONFIG_INVALID: .*no container lab here/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });
});
