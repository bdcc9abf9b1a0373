/**
 * Scale mode: one namespace holding many device addresses, all served by one simulator process;
 * each address is its own device (its own hostname and serials) on standard ports.
 */
import { describe, expect, it } from 'vitest';
import { scaleAddresses } from '../../../src/lab/netns/addressing.js';
import { devicesPerSimulator } from '../../../src/lab/netns/netns-lab.js';
import { netnsLabDown } from '../../../src/lab/netns/teardown.js';
import { leftovers, snmpBulkWalk, ssh } from './helpers.js';
import { useNetnsLab } from '../../helpers/netns-lab.js';

const devices = 60;
const { dir, state } = useNetnsLab(
  { scale: { devices, platforms: ['ios', 'nxos'] } },
  'netops-netns-scale-',
  120_000,
);

describe('netns lab scale mode', () => {
  it('serves every address of the scale namespace from one process', async () => {
    expect(state.processes.filter((p) => p.name === 'scale/sim')).toHaveLength(1);
    for (const i of [0, devices - 1]) {
      const { ipv4, ipv6 } = scaleAddresses(i);
      const name = await snmpBulkWalk(state, 'udp', ipv4, '1.3.6.1.2.1.1.5');
      expect(name.stdout, name.stderr).toContain(`STRING: "s${i + 1}"`);
      const serials = await snmpBulkWalk(state, 'udp6', ipv6, '1.3.6.1.2.1.47.1.1.1.1.11');
      expect(serials.stdout).toMatch(/STRING: "[A-Z0-9]{8,}"/);
    }
    const last = scaleAddresses(devices - 1);
    const version = await ssh(state, last.ipv6, 'show version');
    expect(version.stdout).toMatch(/Cisco Nexus Operating System/);
  });

  it('removes the scale namespace and its process on down', async () => {
    await netnsLabDown(dir);
    expect(await leftovers(state)).toEqual([]);
  });
});

describe('scale devices shared out under the hard file limit', () => {
  it('serves 10,000 devices on one family from two processes when the hard limit is 20,000', () => {
    // Three descriptors per device and family (SSH, telnet, SNMP), 1,024 kept for the process.
    expect(devicesPerSimulator(3, 20_000)).toBe(6_325);
    expect(Math.ceil(10_000 / devicesPerSimulator(3, 20_000))).toBe(2);
    expect(Math.ceil(10_000 / devicesPerSimulator(6, 20_000))).toBe(4);
    expect(devicesPerSimulator(3, 1_048_576)).toBe(349_184);
    expect(devicesPerSimulator(3, 1_000)).toBe(1);
  });
});
