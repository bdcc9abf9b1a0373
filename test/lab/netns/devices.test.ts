/**
 * The netns lab as a network engineer meets it, from the management namespace with real clients:
 * OpenSSH, telnet and snmpbulkwalk (udp and udp6) against simulated ios/nxos and real FRR devices
 * on their own addresses, BGP between the FRR devices, console lines on the terminal server, tftp-hpa
 * receiving uploads, and afterwards nothing left in the root namespace or anywhere else.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { netnsStatus } from '../../../src/cli/actions/lab-netns.js';
import { register } from '../../../src/cli/commands/lab-netns.js';
import { management, terminalServer } from '../../../src/lab/netns/addressing.js';
import { writeNetnsInventory } from '../../../src/lab/netns/netns-inventory.js';
import { listening } from '../../../src/lab/netns/readiness.js';
import type { LabDeviceRecord } from '../../../src/lab/netns/state.js';
import { netnsLabDown, netnsLabStatus } from '../../../src/lab/netns/teardown.js';
import {
  consoleLine,
  inNs,
  leftovers,
  rootNetwork,
  snmpBulkWalk,
  ssh,
  sshSession,
  telnet,
} from './helpers.js';
import { useNetnsLab } from '../../helpers/netns-lab.js';
import { waitFor } from '../../helpers/wait-for.js';

const entPhysicalSerialNum = '1.3.6.1.2.1.47.1.1.1.1.11';
let rootBefore: string;
beforeAll(async () => {
  rootBefore = await rootNetwork();
});
const { dir, state } = useNetnsLab(
  {
    devices: [
      { name: 'r1', platform: 'ios' },
      { name: 'n1', platform: 'nxos' },
      { name: 'f1', platform: 'frr', asn: 65001, bgpNeighbors: ['f2'] },
      { name: 'f2', platform: 'frr', asn: 65002, bgpNeighbors: ['f1'] },
    ],
  },
  'netops-netns-lab-',
);

const device = (name: string): LabDeviceRecord => {
  const found = state.devices.find((d) => d.name === name);
  if (!found) throw new Error(`no device ${name}`);
  return found;
};

describe('netns lab devices, from the management namespace', () => {
  it('answers OpenSSH on every device over IPv4 and on its Loopback0 IPv6 address', async () => {
    const expected: Record<string, RegExp> = {
      r1: /Cisco IOS Software/,
      n1: /Cisco Nexus Operating System/,
      f1: /FRRouting/,
      f2: /FRRouting/,
    };
    for (const d of state.devices) {
      for (const address of [d.addresses.ipv4, d.loopback.ipv6]) {
        const out = await ssh(state, address, 'show version');
        expect(out.stdout, `${d.name} at ${address}: ${out.stderr}`).toMatch(expected[d.name] ?? /never/);
      }
    }
  });

  it('lets telnet log in on every device over IPv6 and run a command', async () => {
    for (const d of state.devices) {
      const out = await telnet(state, d.addresses.ipv6, 23, 'show version');
      expect(out.code, `${d.name}: ${out.stdout}`).toBe(0);
      expect(out.stdout).toMatch(d.platform === 'frr' ? /FRRouting/ : /Cisco/);
    }
  });

  it('walks ENTITY-MIB serials with snmpbulkwalk over udp and udp6 on every device', async () => {
    for (const d of state.devices) {
      for (const [transport, address] of [
        ['udp', d.addresses.ipv4],
        ['udp6', d.addresses.ipv6],
      ] as const) {
        const out = await snmpBulkWalk(state, transport, address, entPhysicalSerialNum);
        expect(out.stdout, `${d.name} ${transport}: ${out.stderr}`).toMatch(
          /\.1\.3\.6\.1\.2\.1\.47\.1\.1\.1\.1\.11\.\d+ = STRING: "[A-Z0-9]{8,}"/,
        );
      }
    }
    const sysName = await snmpBulkWalk(state, 'udp6', device('f1').addresses.ipv6, '1.3.6.1.2.1.1.5');
    expect(sysName.stdout).toContain('STRING: "f1"');
  });

  it('brings up BGP between the FRR devices (vtysh over ssh)', async () => {
    const f2 = device('f2').addresses.ipv4;
    let peers: Record<string, { state: string; remoteAs: number }> = {};
    for (let i = 0; i < 60 && Object.values(peers)[0]?.state !== 'Established'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      const out = await ssh(state, device('f1').addresses.ipv4, 'show bgp summary json');
      peers = (JSON.parse(out.stdout) as { ipv4Unicast?: { peers: typeof peers } }).ipv4Unicast?.peers ?? {};
    }
    expect(peers[f2]).toMatchObject({ state: 'Established', remoteAs: 65002 });
    // The session carries f2's loopback, which f1 then routes to.
    const routes = await ssh(state, device('f1').addresses.ipv4, 'show ip bgp');
    expect(routes.stdout).toContain(`${device('f2').loopback.ipv4}/32`);
  });

  it('gives every device a console line on the terminal server', async () => {
    const sim = await consoleLine(state, terminalServer.ipv4, device('r1').consolePort ?? 0, 'Username:');
    expect(sim.stdout).toContain('GOT-PROMPT');
    const frr = await consoleLine(state, terminalServer.ipv6, device('f2').consolePort ?? 0, 'login:');
    expect(frr.stdout).toContain('GOT-PROMPT');
  });

  it('delivers uploads from every device kind to tftp-hpa in the management namespace', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'netops-netns-tftpd-'));
    await chmod(root, 0o777); // tftpd-hpa writes as nobody
    const tftpd = spawn(
      'ip',
      ['netns', 'exec', state.management, 'in.tftpd', '-L', '-c', '-s', root, '-a', `${management.ipv4}:69`],
      { stdio: 'ignore' },
    );
    try {
      await until(async () => (await listening(state.management)).has('udp:69'));
      const r1 = await sshSession(state, device('r1').addresses.ipv4, [
        `copy running-config tftp://${management.ipv4}/r1-confg`,
      ]);
      expect(r1.stdout, r1.stderr).toMatch(/\d+ bytes copied/);
      const n1 = await sshSession(state, device('n1').addresses.ipv4, [
        `copy running-config tftp://${management.ipv4}/n1-confg vrf management`,
      ]);
      expect(n1.stdout, n1.stderr).toMatch(/Copy complete/i);
      // A Linux/FRR box backs up with the tftp-hpa client from its own namespace and address.
      const f1 = device('f1');
      const put = await inNs(f1.namespace, [
        'sh',
        '-c',
        `cd ${path.join(dir, 'devices', 'f1', 'frr')} && tftp -4 ${management.ipv4} -c put bgpd.conf f1-bgpd.conf`,
      ]);
      expect(put.code, put.stderr).toBe(0);
      expect((await readdir(root)).sort()).toEqual(['f1-bgpd.conf', 'n1-confg', 'r1-confg']);
    } finally {
      tftpd.kill();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('runs `netops lab exec -- CMD` in the management namespace', async () => {
    const program = new Command('netops').exitOverride();
    register(program.command('lab'));
    const file = path.join(dir, 'exec-addresses.txt');
    await program.parseAsync(
      ['lab', 'exec', '--dir', dir, '--', 'sh', '-c', `ip -o addr show dev br0 > ${file}`],
      { from: 'user' },
    );
    const addresses = await readFile(file, 'utf8');
    expect(addresses).toContain(`inet ${management.ipv4}/20`);
    expect(addresses).toContain(`inet6 ${management.ipv6}/64`);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('writes an inventory of the lab for netops, with secrets only in the env file', async () => {
    const files = await writeNetnsInventory(state);
    const inventory = parse(await readFile(files.inventory, 'utf8')) as {
      hosts: Record<string, { address: string; groups: string[]; console?: { port: number } }>;
    };
    expect(inventory.hosts['f1-v6']).toMatchObject({ address: device('f1').addresses.ipv6, groups: ['frr'] });
    expect(inventory.hosts['r1']).toMatchObject({
      address: device('r1').addresses.ipv4,
      groups: ['ios'],
      console: { port: device('r1').consolePort },
    });
    expect(await readFile(files.inventory, 'utf8')).not.toContain(state.spec.password);
    expect(await readFile(files.env, 'utf8')).toContain(`NETOPS_LAB_PASSWORD='${state.spec.password}'`);
  });

  it('reports every device up in status', async () => {
    const status = await netnsLabStatus(dir);
    expect(status?.devices.map((d) => [d.name, d.health])).toEqual([
      ['r1', 'up'],
      ['n1', 'up'],
      ['f1', 'up'],
      ['f2', 'up'],
    ]);
    expect(status?.services).toEqual([{ name: 'terminal-server', alive: true }]);
    let printed = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk);
      return true;
    });
    try {
      expect(await netnsStatus(dir)).toBe(true);
    } finally {
      write.mockRestore();
    }
    const f1 = device('f1');
    expect(printed).toMatch(
      new RegExp(`^f1 +frr +up +${f1.addresses.ipv4.replace(/\./g, '\\.')} +${f1.addresses.ipv6} `, 'm'),
    );
  });

  it('changes nothing in the root namespace, and leaves nothing behind after down', async () => {
    expect(await rootNetwork()).toBe(rootBefore);
    const recorded = state;
    const result = await netnsLabDown(dir);
    expect(result.namespaces).toBe(recorded.namespaces.length);
    expect(await leftovers(recorded)).toEqual([]);
    expect(await rootNetwork()).toBe(rootBefore);
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  await waitFor(check, 'the TFTP server in the management namespace');
}
