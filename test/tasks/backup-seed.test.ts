/**
 * The seed story through the nightly backup, on the wire (netns lab, root): r1 has
 * `ip tftp source-interface Loopback0` and, as in the seed, Loopback0 has an IPv6 address too.
 * Reached over IPv4 it backs up from its loopback; reached over IPv6 it uploads from its Loopback0
 * IPv4 read as IPv6 (c612:fe01::), and the host fails with a message that names the device, the
 * hidden IPv4 address, and the fix that worked in the seed: `no ip tftp source-interface Loopback0`.
 * Applied with netops' own `config` task, the IPv6 backup then succeeds from the egress interface.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { management } from '../../src/lab/netns/addressing.js';
import { writeNetnsInventory } from '../../src/lab/netns/netns-inventory.js';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useNetnsLab } from '../helpers/netns-lab.js';

const { dir, state } = useNetnsLab(
  { devices: [{ name: 'r1', platform: 'ios', tftpSourceLoopback: true }] },
  'netops-backup-seed-',
  120_000,
);
let env: Record<string, string>;
let inventoryFile: string;

beforeAll(async () => {
  const files = await writeNetnsInventory(state);
  inventoryFile = files.inventory;
  env = Object.fromEntries(
    [...(await readFile(files.env, 'utf8')).matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );
  await writeFile(
    path.join(dir, 'job.yaml'),
    `name: nightly
inventory: ${files.inventory}
trustNewHostKeys: true
tftp:
  listen: ["${management.ipv4}:69", "[${management.ipv6}]:69"]
  advertise: { ipv4: ${management.ipv4}, ipv6: "${management.ipv6}" }
  timeout: 20
store: { dir: store }
steps:
  - task: backup
    params: { method: tftp-cli }
`,
  );
}, 120_000);

it(
  'backs up over IPv4 and fails over IPv6 naming r1, 198.18.254.1 and the fix',
  { timeout: 90_000 },
  async () => {
    const result = await runNetops(['run', 'job.yaml', '--json', '--limit', 'r1,r1-v6'], {
      cwd: dir,
      env: { ...env, NETOPS_STATE_DIR: path.join(dir, 'state') },
      wrap: ['ip', 'netns', 'exec', state.management],
    });
    const record = runRecordSchema.parse(JSON.parse(result.stdout));
    const host = (name: string) => record.hosts.find((h) => h.host === name)!.steps[0]!;
    expect(host('r1').status, host('r1').error?.message).toBe('changed');
    const failed = host('r1-v6');
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('TFTP_UNEXPECTED_SOURCE');
    expect(failed.error?.message).toContain('c612:fe01::');
    expect(failed.error?.message).toContain('198.18.254.1');
    expect(failed.error?.message).toContain('r1-v6');
    expect(failed.error?.hint).toContain('no ip tftp source-interface Loopback0');
    expect(failed.error?.hint).toContain('IPv6 address does not help');
  },
);

const run = async (args: string[]) => {
  const result = await runNetops(['run', ...args, '--json'], {
    cwd: dir,
    env: { ...env, NETOPS_STATE_DIR: path.join(dir, 'state') },
    wrap: ['ip', 'netns', 'exec', state.management],
  });
  return runRecordSchema.parse(JSON.parse(result.stdout)).hosts[0]!.steps[0]!;
};

it(
  'reproduces the seed: Loopback0 has IPv6, and the seed fix makes the IPv6 backup work',
  { timeout: 120_000 },
  async () => {
    const job = (name: string, task: string, params: unknown) =>
      writeFile(
        path.join(dir, name),
        `inventory: ${inventoryFile}\ntrustNewHostKeys: true\nsteps:\n  - task: ${task}\n    params: ${JSON.stringify(params)}\n`,
      );
    await job('show.yaml', 'command', { commands: ['show running-config'] });
    const shown = await run(['show.yaml', '--limit', 'r1']);
    const config = (shown.data?.['outputs'] as Record<string, string>)['show running-config']!;
    expect(config).toMatch(/^ip tftp source-interface Loopback0$/m);
    expect(config).toMatch(
      /^interface Loopback0\n ip address 198\.18\.254\.1 255\.255\.255\.255\n ipv6 address 2001:db8:0:ff::1\/128$/m,
    );

    await job('fix.yaml', 'config', { lines: ['no ip tftp source-interface Loopback0'] });
    expect((await run(['fix.yaml', '--limit', 'r1'])).status).toBe('changed');
    const fixed = await run(['job.yaml', '--limit', 'r1-v6']);
    expect(fixed.status, fixed.error?.message).not.toBe('failed');
    expect(fixed.data?.['method']).toBe('tftp-cli');
  },
);
