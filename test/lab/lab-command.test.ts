import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labFiles, processAlive, type LabState } from '../../src/lab/lab-files.js';
import { labDown, labStatus, labUp } from '../../src/lab/lab-process.js';
import { run, sshExec } from './lab-peers.js';

// The background process runs compiled JavaScript: compile lab-serve.ts and what it imports.
const build = join(process.cwd(), 'node_modules', '.cache', `lab-command-test-${process.pid}`);
let dir: string;
let state: LabState;

beforeAll(async () => {
  await run(
    'npx',
    [
      'tsc',
      'src/lab/lab-serve.ts',
      '--outDir',
      build,
      '--rootDir',
      'src',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2023',
      '--skipLibCheck',
    ],
    { timeout: 120_000 },
  );
  dir = await mkdtemp(join(tmpdir(), 'netops-lab-'));
  state = await labUp({
    dir,
    spec: { devices: 2, platforms: ['ios', 'nxos'], bootMs: 200 },
    entry: join(build, 'lab', 'lab-serve.js'),
  });
}, 180_000);

afterAll(async () => {
  if (dir) {
    await labDown(dir);
    await rm(dir, { recursive: true, force: true });
  }
  await rm(build, { recursive: true, force: true });
});

interface InventoryHost {
  address: string;
  port: number;
  groups: string[];
  console: { host: string; port: number };
  snmp: { port: number };
  data: { lab: { telnetPort: number } };
}

describe('netops lab up / status / down (loopback mode)', () => {
  it('starts a background process and writes an inventory with IPv4 and IPv6 hosts', async () => {
    expect(state.pid).not.toBe(process.pid);
    expect(processAlive(state.pid)).toBe(true);
    const inventory = parse(await readFile(labFiles(dir).inventory, 'utf8')) as {
      hosts: Record<string, InventoryHost>;
      credentials: unknown;
    };
    expect(Object.keys(inventory.hosts)).toEqual(['r1', 'r1-v6', 'r2', 'r2-v6']);
    expect(inventory.hosts['r2-v6']).toMatchObject({
      address: '::1',
      port: state.devices[1]!.ports.ssh,
      groups: ['nxos'],
    });
    expect(inventory.credentials).toEqual({
      lab: {
        username: 'admin',
        password: { env: 'NETOPS_LAB_PASSWORD' },
        enable: { env: 'NETOPS_LAB_ENABLE' },
      },
    });
    const env = await readFile(labFiles(dir).env, 'utf8');
    expect(env).toContain("export NETOPS_LAB_PASSWORD='lab-password'");
  });

  it('serves SSH and SNMP at the ports the inventory names', async () => {
    const inventory = parse(await readFile(labFiles(dir).inventory, 'utf8')) as {
      hosts: Record<string, InventoryHost>;
    };
    const r2 = inventory.hosts['r2-v6']!;
    expect(await sshExec('::1', r2.port, 'show version')).toContain(
      'Cisco Nexus Operating System (NX-OS) Software',
    );
    const logged = (await readFile(labFiles(dir).commands, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(logged.at(-1)).toMatchObject({
      device: 'r2',
      via: 'ssh-exec',
      user: 'admin',
      line: 'show version',
    });
    const { stdout } = await run('snmpget', [
      '-v2c',
      '-c',
      'lab-ro',
      '-Oqv',
      `udp6:[::1]:${r2.snmp.port}`,
      '1.3.6.1.2.1.1.5.0',
      '1.3.6.1.2.1.47.1.1.1.1.2.149',
    ]);
    expect(stdout.split('\n').slice(0, 2)).toEqual(['"r2"', '"Nexus7000 C7010 (10 Slot) Chassis"']);
  });

  it('takes run-time faults from faults.json', async () => {
    const port = state.devices[0]!.ports.ssh;
    await writeFile(labFiles(dir).faults, JSON.stringify({ r1: { authFailure: true } }));
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await sshExec('127.0.0.1', port, 'show clock').then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBe(true);
    await writeFile(labFiles(dir).faults, '{}');
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      back = await sshExec('127.0.0.1', port, 'show clock').then(
        () => true,
        () => false,
      );
      if (!back) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(back).toBe(true);
  });

  it('reports status with RSS and stops by the recorded PID', async () => {
    const status = await labStatus(dir);
    expect(status.alive).toBe(true);
    expect(status.rssKiB).toBeGreaterThan(10_000);
    expect(await labDown(dir)).toBe(true);
    expect(processAlive(state.pid)).toBe(false);
    expect((await labStatus(dir)).state).toBeUndefined();
  });
});
