import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NetopsError } from '../../../src/core/errors.js';
import { containerlabYaml, type ContainerlabSource } from '../../../src/lab/container/containerlab-export.js';
import {
  checkContainerlabTopology,
  type ContainerlabTopology,
} from '../../../src/lab/container/containerlab-schema.js';

const source: ContainerlabSource = {
  lab: 'a1b2c3',
  network: {
    name: 'netops-a1b2c3',
    ipv4Subnet: '198.18.16.0/24',
    ipv6Subnet: '2001:db8:16::/64',
    ipv4Gateway: '198.18.16.1',
    ipv6Gateway: '2001:db8:16::1',
  },
  containers: [
    {
      name: 'r1',
      image: 'netops-lab/sim:0123abcd',
      role: 'ios',
      ipv4: '198.18.16.10',
      ipv6: '2001:db8:16::a',
      command: ['node', '/opt/netops/lab/netns/device-main.js', '/lab/device.json'],
      mounts: [{ host: '/srv/lab/devices/r1', container: '/lab', readOnly: true }],
      env: { NETOPS_LAB_ADDRESSES: '198.18.254.1/32 2001:db8:0:ff::1/128' },
    },
    {
      name: 'f1',
      image: 'netops-lab/frr:0123abcd',
      role: 'frr',
      ipv4: '198.18.16.11',
      ipv6: '2001:db8:16::b',
    },
    {
      name: 'f2',
      image: 'netops-lab/frr:0123abcd',
      role: 'frr',
      ipv4: '198.18.16.12',
      ipv6: '2001:db8:16::c',
    },
  ],
  links: [
    ['f1', 'f2'],
    ['r1', 'f1'],
  ],
};

/** The problems a CONFIG_INVALID error lists, `PATH: message` each. */
function problems(input: unknown): string[] {
  try {
    checkContainerlabTopology(input, 'broken.clab.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(NetopsError);
    expect((error as NetopsError).code).toBe('CONFIG_INVALID');
    expect((error as NetopsError).message).toMatch(/^broken\.clab\.yml: /);
    return ((error as NetopsError).details as { problems: string[] }).problems;
  }
  throw new Error('the topology was accepted');
}

const exported = () => parse(containerlabYaml(source)) as ContainerlabTopology;

/** Sets the value at a dotted path (`topology.nodes.r1.mgmt-ipv4`), whatever the schema allows there. */
function change(topology: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const parent = keys
    .slice(0, -1)
    .reduce((at, key) => at[key] as Record<string, unknown>, topology as Record<string, unknown>);
  parent[keys.at(-1) ?? ''] = value;
}

describe('containerlab export and the project schema of containerlab topologies', () => {
  it('exports linux nodes with the lab images, management addresses and links, and passes the schema', () => {
    const topology = exported();
    expect(checkContainerlabTopology(topology)).toEqual(topology);
    expect(topology.name).toBe('a1b2c3');
    expect(topology.mgmt).toMatchObject({
      network: 'netops-a1b2c3',
      'ipv4-subnet': '198.18.16.0/24',
      'ipv6-subnet': '2001:db8:16::/64',
      'ipv4-gw': '198.18.16.1',
    });
    expect(topology.topology.nodes.r1).toMatchObject({
      kind: 'linux',
      image: 'netops-lab/sim:0123abcd',
      'mgmt-ipv4': '198.18.16.10',
      'mgmt-ipv6': '2001:db8:16::a',
      group: 'ios',
      binds: ['/srv/lab/devices/r1:/lab:ro'],
      cmd: 'node /opt/netops/lab/netns/device-main.js /lab/device.json',
      env: { NETOPS_LAB_ADDRESSES: '198.18.254.1/32 2001:db8:0:ff::1/128' },
    });
    expect(Object.values(topology.topology.nodes).map((n) => n?.kind)).toEqual(['linux', 'linux', 'linux']);
    // eth0 is management; each link takes the next free interface on both ends.
    expect(topology.topology.links).toEqual([
      { endpoints: ['f1:eth1', 'f2:eth1'] },
      { endpoints: ['r1:eth1', 'f1:eth2'] },
    ]);
  });

  it('accepts the shapes containerlab documents that the export does not write', () => {
    const topology = {
      name: 'two',
      topology: {
        defaults: { kind: 'linux' },
        kinds: { linux: { image: 'netops-lab/frr:latest' } },
        nodes: { a: null, b: { 'startup-delay': 5, 'network-mode': 'none' } },
        links: [
          {
            type: 'veth',
            endpoints: [
              { node: 'a', interface: 'eth1' },
              { node: 'b', interface: 'eth1' },
            ],
          },
        ],
      },
    };
    expect(checkContainerlabTopology(topology)).toEqual(topology);
  });

  it('names the path of every broken part', () => {
    const topology = exported();
    change(topology, 'topology.nodes.r1.mgmt-ipv4', '192.0.2.10');
    change(topology, 'topology.nodes.f1.mgmt-ipv6', '2001:db8:16::c');
    change(topology, 'topology.links.2', { endpoints: ['r1:eth1', 'x9:eth1'] });
    expect(problems(topology)).toEqual([
      'topology.links.2.endpoints.0: r1:eth1 is already used by link 1',
      'topology.links.2.endpoints.1: node x9 is not in topology.nodes',
      'topology.nodes.r1.mgmt-ipv4: 192.0.2.10 is outside mgmt.ipv4-subnet 198.18.16.0/24',
      'topology.nodes.f2.mgmt-ipv6: 2001:db8:16::c is also the address of node f1',
    ]);
    change(topology, 'topology.nodes.f2.imagee', 'a typo');
    change(topology, 'mgmt.ipv4-gw', '198.18.16');
    expect(problems(topology)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mgmt\.ipv4-gw: an IPv4 address/),
        expect.stringMatching(/^topology\.nodes\.f2: Unrecognized key: "imagee"/),
      ]),
    );
  });

  it('refuses a topology without its required parts', () => {
    expect(problems({ topology: { nodes: {} } })).toEqual([expect.stringMatching(/^name: /)]);
    expect(
      problems({ name: 'x', topology: { nodes: { r1: { kind: 'linux' } }, links: [{ endpoints: ['r1'] }] } }),
    ).toEqual([
      'topology.links.0.endpoints.0: NODE:INTERFACE, like r1:eth1',
      'topology.links.0.endpoints: two endpoints',
    ]);
    const oneSided = { name: 'x', topology: { nodes: {}, links: [{ endpoints: ['r1', 'r2:eth1'] }] } };
    expect(problems(oneSided)).toEqual([
      'topology.links.0.endpoints.0: NODE:INTERFACE, like r1:eth1',
      'topology.links.0.endpoints.1: node r2 is not in topology.nodes',
    ]);
  });
});
