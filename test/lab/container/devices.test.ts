/**
 * The container lab as a network engineer meets it from the host, with real clients: OpenSSH,
 * Netmiko (Debian's python3-netmiko) and net-snmp's snmpget over IPv4 and IPv6 against every device
 * kind (simulated ios and nxos, real FRR), `lab exec` into a device, a link impaired from the spec
 * (200 ms towards the device), and after `lab down` nothing left: no container, network, namespace,
 * nftables table or impairment relay.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerDeviceRecord, ContainerLabState } from '../../../src/lab/container/state.js';
import { ipv4AsTopBits } from '../../../src/lab/netns/addressing.js';
import { useContainerLab } from '../../helpers/container-lab.js';
import { runNetops } from '../../helpers/netops-cli.js';
import { throwawayHostKeyOptions } from '../../helpers/openssh.js';

interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sh(command: string, args: readonly string[], input?: string, timeoutMs = 60_000): Promise<Output> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        // A command killed at the limit says so: an empty stderr alone does not tell a hang from a crash.
        const killed = error.killed ? `killed after ${timeoutMs} ms (${error.signal})\n` : '';
        resolve({ code: typeof error.code === 'number' ? error.code : -1, stdout, stderr: killed + stderr });
      },
    );
    // A command may exit without reading its input: its exit code and output tell, not an EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

const lines = async (command: string, args: readonly string[]) =>
  (await sh(command, args)).stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** What the host's own listings show: containers, networks, named namespaces, nftables tables. */
async function hostListings() {
  return {
    containers: await lines('podman', ['ps', '-a', '--format', '{{.Names}}']),
    networks: await lines('podman', ['network', 'ls', '--format', '{{.Name}}']),
    namespaces: (await lines('ip', ['netns', 'list'])).map((line) => line.split(' ')[0] ?? ''),
    tables: await lines('nft', ['list', 'tables']),
  };
}

let before: Awaited<ReturnType<typeof hostListings>>;
beforeAll(async () => {
  before = await hostListings();
});

const lab = useContainerLab(
  {
    devices: [
      { name: 'r1', platform: 'ios', tftpSourceLoopback: true },
      { name: 'n1', platform: 'nxos' },
      { name: 'f1', platform: 'frr', asn: 65001 },
      { name: 'r2', platform: 'ios', impair: { toDevice: { delayMs: 200 } } },
    ],
  },
  'netops-container-lab-',
);

const sshOptions = throwawayHostKeyOptions;
const banner: Record<string, RegExp> = {
  ios: /Cisco IOS Software/,
  nxos: /Cisco Nexus Operating System/,
  frr: /FRRouting/,
};
const families = (d: ContainerDeviceRecord) => [d.addresses.ipv4, d.addresses.ipv6];

const netmiko = `
import sys
from netmiko import ConnectHandler
kind, host, password, delay_factor = sys.argv[1:5]
conn = ConnectHandler(device_type=kind, host=host, username='admin', password=password, timeout=30,
                      global_delay_factor=float(delay_factor))
sys.stdout.write(conn.find_prompt() + '\\n' + conn.send_command('show version'))
conn.disconnect()
`;

describe('container lab devices, from the host', () => {
  it('answers OpenSSH on every device over IPv4 and IPv6', async () => {
    for (const d of lab.state.devices) {
      for (const address of families(d)) {
        const out = await sh('sshpass', [
          ...['-p', lab.state.spec.password, 'ssh', ...sshOptions],
          `${lab.state.spec.username}@${address}`,
          'show version',
        ]);
        expect(out.stdout, `${d.name} at ${address}: ${out.stderr}`).toMatch(banner[d.platform] ?? /never/);
      }
    }
  });

  it('lets Netmiko log in on every device over IPv4 and IPv6 and run show version', async () => {
    const kinds: Record<string, string> = { ios: 'cisco_ios', nxos: 'cisco_nxos', frr: 'cisco_ios' };
    // Netmiko 2.4 reads by timing: it sends a return, sleeps 0.1 s x the delay factor and takes what
    // came back as the answer. Over r2's 200 ms link the echo and prompt are still in flight, the
    // extra returns' prompts arrive later and end `show version` before it starts (seen: empty
    // output, or a 60 s hang on a loaded machine). Netmiko's own remedy for a slow link is its delay
    // factor, so the impaired device gets one that outlasts the delay several times over.
    const delayFactor = (d: ContainerDeviceRecord) =>
      lab.state.spec.devices.find((s) => s.name === d.name)?.impair ? 5 : 1;
    // All sessions at once: Netmiko spends most of its time waiting on its own timers.
    const sessions = lab.state.devices.flatMap((d) => families(d).map((address) => ({ d, address })));
    const outs = await Promise.all(
      sessions.map(({ d, address }) =>
        sh(
          '/usr/bin/python3',
          ['-c', netmiko, kinds[d.platform] ?? '', address, lab.state.spec.password, String(delayFactor(d))],
          undefined,
          100_000,
        ),
      ),
    );
    sessions.forEach(({ d, address }, i) => {
      const out = outs[i]!;
      expect(out.code, `${d.name} at ${address}: ${out.stderr}`).toBe(0);
      expect(out.stdout.split('\n')[0]).toBe(`${d.name}#`);
      expect(out.stdout).toMatch(banner[d.platform] ?? /never/);
    });
  }, 200_000);

  it('answers snmpget (v2c) on every device over udp and udp6 with its own sysName', async () => {
    for (const d of lab.state.devices) {
      for (const target of [`udp:${d.addresses.ipv4}:161`, `udp6:[${d.addresses.ipv6}]:161`]) {
        const out = await sh('snmpget', [
          ...['-v2c', '-c', lab.state.spec.readCommunity, '-On', '-Oqv', '-t', '3', '-r', '2'],
          target,
          '1.3.6.1.2.1.1.5.0',
        ]);
        expect(out.stdout.trim().replace(/"/g, ''), `${d.name} at ${target}: ${out.stderr}`).toBe(d.name);
      }
    }
  });

  it('routes each device Loopback0 from the host through the device', async () => {
    for (const d of lab.state.devices) {
      const out = await sh('sshpass', [
        ...['-p', lab.state.spec.password, 'ssh', ...sshOptions],
        `${lab.state.spec.username}@${d.loopback.ipv6}`,
        'show version',
      ]);
      expect(out.stdout, `${d.name} at ${d.loopback.ipv6}: ${out.stderr}`).toMatch(
        banner[d.platform] ?? /never/,
      );
    }
  });

  it('sends IPv6 TFTP from its loopback IPv4 in the top bits on the wire (ip tftp source-interface Loopback0)', async () => {
    const r1 = lab.state.devices[0]!;
    const gateway = lab.state.network.gateway.ipv6;
    const server = createSocket('udp6');
    await new Promise<void>((resolve) => server.bind(69, gateway, resolve));
    try {
      const request = new Promise<string>((resolve) =>
        server.once('message', (_, from) => resolve(from.address)),
      );
      const copy = sh(
        'sshpass',
        [
          ...['-p', lab.state.spec.password, 'ssh', ...sshOptions],
          `${lab.state.spec.username}@${r1.addresses.ipv4}`,
          `copy running-config tftp://[${gateway}]/r1.cfg`,
          // RETURN to the device's two questions (remote host, destination filename).
        ],
        '\n\n',
      );
      expect(await request).toBe(ipv4AsTopBits(r1.loopback.ipv4));
      await copy;
    } finally {
      server.close();
    }
  });

  it('runs a command in a device with lab exec, and lab status shows every container running', async () => {
    const exec = await runNetops([
      'lab',
      'exec',
      '--dir',
      lab.dir,
      'f1',
      '--',
      'vtysh',
      '-c',
      'show version',
    ]);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toMatch(/FRRouting/);
    const status = await runNetops(['lab', 'status', '--dir', lab.dir, '--json']);
    const parsed = JSON.parse(status.stdout) as { devices: { name: string; running: boolean }[] };
    expect(parsed.devices.map((d) => [d.name, d.running])).toEqual([
      ['r1', true],
      ['n1', true],
      ['f1', true],
      ['r2', true],
    ]);
  });

  it('delays packets towards r2 by the 200 ms its spec says, and r1 not at all', async () => {
    const minRtt = async (address: string) => {
      const out = await sh('ping', ['-n', '-q', '-c', '5', '-i', '0.3', address]);
      return Number(/= ([\d.]+)\//.exec(out.stdout)?.[1] ?? Number.NaN);
    };
    const [r1, , , r2] = lab.state.devices;
    // A lower bound only: load can add time, never take the relay's 200 ms away.
    for (const address of families(r2!)) expect(await minRtt(address)).toBeGreaterThanOrEqual(180);
    expect(await minRtt(r1!.addresses.ipv4)).toBeLessThan(180);
  });

  it('leaves no container, network, namespace, nftables table or relay after lab down', async () => {
    const during = await hostListings();
    const state = JSON.parse(
      await readFile(path.join(lab.dir, 'container-lab.json'), 'utf8'),
    ) as ContainerLabState;
    const relay = state.impairments?.['r2']?.relay;
    expect(relay?.pid).toBeGreaterThan(0);
    const ours = (names: readonly string[], was: readonly string[]) => names.filter((n) => !was.includes(n));
    // What the lab added: its containers and network, and podman's namespaces for its containers.
    expect(ours(during.containers, before.containers)).toEqual(
      expect.arrayContaining([
        ...lab.state.devices.map((d) => d.container),
        lab.state.terminalServer.container,
      ]),
    );
    expect(ours(during.networks, before.networks)).toContain(lab.state.network.name);
    // Podman's namespaces for this lab's containers (other files' labs come and go meanwhile).
    const sandboxes = await lines('podman', [
      'inspect',
      '--format',
      '{{.NetworkSettings.SandboxKey}}',
      ...ours(during.containers, before.containers).filter((n) => n.startsWith(`nolab-${lab.state.id}-`)),
    ]);
    const namespacesOfLab = sandboxes.map((key) => path.basename(key));
    expect(namespacesOfLab.length).toBeGreaterThan(0);
    expect(during.namespaces).toEqual(expect.arrayContaining(namespacesOfLab));
    const down = await runNetops(['lab', 'down', '--dir', lab.dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/5 containers and 1 network removed/);
    // Stopped: gone, or a zombie (it has exited; whichever process adopted it reaps it in its own time).
    expect(await runningAs(relay?.pid ?? 0, relay?.startTime)).toBe(false);
    const after = await hostListings();
    expect(after.containers.filter((n) => n.startsWith(`nolab-${lab.state.id}-`))).toEqual([]);
    expect(after.networks).not.toContain(lab.state.network.name);
    expect(after.namespaces.filter((n) => namespacesOfLab.includes(n))).toEqual([]);
    expect(ours(after.tables, before.tables)).toEqual([]);
    expect((await sh('ip', ['-o', 'addr'])).stdout).not.toContain(lab.state.network.gateway.ipv4);
  });
});

/** Whether the process `pid` that started at `startTime` (clock ticks, /proc/PID/stat) still runs. */
async function runningAs(pid: number, startTime: string | undefined): Promise<boolean> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] !== 'Z' && fields[19] === startTime;
}
