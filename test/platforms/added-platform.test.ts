/**
 * docs/platforms.md's promise: a platform written in a folder of its own outside src/
 * (test/fixtures/platforms/classic-ios/) and added with ONE call, `registerPlatform`, is accepted by
 * the inventory and backed up, collected and planned/installed by startup-config against the lab,
 * with no other file touched. The lab's IOS simulator plays the device (the lab simulates no other
 * Cisco-style CLI); what the device was sent and what was stored show the fixture's data was used.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit.js';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';
import { formatPlan } from '../../src/cli/plan.js';
import { checkSteps } from '../../src/cli/preflight.js';
import type { Host } from '../../src/config/model.js';
import { deviceFactsSchema } from '../../src/facts/device-facts.js';
import { registerPlatform } from '../../src/platforms/registry.js';
import { runJob } from '../../src/runner/runner.js';
import { findSecretPlaceholders } from '../../src/store/placeholders.js';
import { tasks } from '../../src/tasks/registry.js';
import { classicIos } from '../fixtures/platforms/classic-ios/index.js';
import { useBackupLab } from '../helpers/labs.js';
import { freeUdpPort } from '../tasks/backup-helpers.js';

const t = useBackupLab({ devices: 1, platforms: ['ios'] });
const savedEnv = { ...process.env };

beforeAll(async () => {
  // The lab's inventory puts its IOS devices in group `ios`; here that group is of the new platform.
  const inventoryFile = path.join(t.dir, 'inventory.yaml');
  const inventory = parse(await readFile(inventoryFile, 'utf8')) as { groups: Record<string, unknown> };
  inventory.groups = { ios: { platform: 'classic-ios' } };
  await writeFile(inventoryFile, stringify(inventory));
  await writeFile(
    path.join(t.dir, 'new-startup.cfg'),
    '!\nhostname r1\n!\ninterface Loopback9\n ip address 192.0.2.9 255.255.255.255\n!\nend\n',
  );
  Object.assign(process.env, t.env);
});
afterAll(() => {
  process.env = savedEnv;
});

/** A job of these steps on the lab's inventory, its TFTP server and a store in the test folder. */
async function job(name: string, steps: readonly Record<string, unknown>[]): Promise<string> {
  const file = path.join(t.dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      name,
      inventory: 'inventory.yaml',
      timeouts: { step: '60s' },
      tftp: { listen: [`127.0.0.1:${t.tftpPort}`, `[::1]:${t.tftpPort}`], timeout: 8 },
      store: { dir: 'store', author: { name: 'netops-test', email: 'test@example.net' } },
      steps,
    }),
  );
  return file;
}

/** Loads the job and its host r1 as `netops run` does and runs it, confirmed like `--yes`. */
async function run(file: string, patch: (host: Host) => Host = (h) => h) {
  const loaded = await loadJobFile(file);
  const { hosts } = await loadHosts(loaded.inventoryFiles, ['r1'], () => undefined);
  const record = await runJob({ job: loaded, hosts: hosts.map(patch), tasks, confirmed: true });
  const step = record.hosts[0]!.steps[0]!;
  expect(step.status, step.error?.message).not.toBe('failed');
  return step;
}

const device = () => t.lab.devices[0]!.device;
const sentToDevice = () => device().log.map((entry) => entry.line);

describe('a platform added from a fixture folder with one registry entry', () => {
  it('is refused by the inventory (exit 2, the known names listed) until it is registered', async () => {
    const refused = await loadHosts([path.join(t.dir, 'inventory.yaml')], [], () => undefined).catch(
      (error: unknown) => error,
    );
    expect(exitCodeFor(refused)).toBe(2);
    expect(String(refused)).toContain('expected one of "ios", "nxos", "frr", found "classic-ios"');

    registerPlatform(classicIos);
    const { hosts } = await loadHosts([path.join(t.dir, 'inventory.yaml')], ['r1'], () => undefined);
    expect(hosts.map((h) => [h.name, h.platform])).toEqual([['r1', 'classic-ios']]);
  });

  it('backs up with tftp-cli, tftp-snmp and show: its own commands sent, its secret rules applied', async () => {
    registerPlatform(classicIos);
    const auto = await run(await job('backup', [{ task: 'backup', params: { method: 'auto' } }]));
    expect(auto.data).toMatchObject({ method: 'tftp-cli', attempts: [{ method: 'tftp-cli', ok: true }] });
    const stored = await readFile(path.join(t.dir, 'store', 'configs', 'r1.cfg'), 'utf8');
    expect(stored.trimEnd().endsWith('\nend')).toBe(true);
    expect(findSecretPlaceholders(stored).length).toBeGreaterThan(0);
    expect(stored).not.toContain(t.lab.spec.password);

    // snmpConfigCopy: the lab's agent takes the CISCO-CONFIG-COPY-MIB row.
    const snmp = await run(await job('backup-snmp', [{ task: 'backup', params: { method: 'tftp-snmp' } }]));
    expect(snmp.data).toMatchObject({ method: 'tftp-snmp', attempts: [{ method: 'tftp-snmp', ok: true }] });

    const show = await run(await job('backup-show', [{ task: 'backup', params: { method: 'show' } }]));
    expect(show.data).toMatchObject({ method: 'show' });
    // classic-ios reads its config with the old `write terminal`, which the ios platform never sends.
    expect(sentToDevice()).toContain('write terminal');
  });

  it('collects over SNMP with its sysDescr patterns, and over the CLI with its show parsers', async () => {
    registerPlatform(classicIos);
    const version = device().hardware.version.version;
    const facts = async () =>
      deviceFactsSchema.parse(
        JSON.parse(await readFile(path.join(t.dir, 'store', 'facts', 'r1.json'), 'utf8')),
      );

    await run(await job('collect', [{ task: 'collect' }]));
    expect((await facts()).os).toMatchObject({ name: 'classic-ios', version });
    expect((await facts()).sources.os).toBe('snmp');

    // Nothing answers SNMP on this port: `fallback: cli` reads the platform's show commands instead.
    const silent = await freeUdpPort();
    const overCli = await run(
      await job('collect-cli', [{ task: 'collect', params: { fallback: 'cli', timeout: 300, retries: 0 } }]),
      (host) => ({ ...host, snmp: { ...host.snmp!, port: silent } }),
    );
    expect(overCli.data).toMatchObject({ source: 'cli', os: { name: 'classic-ios', version } });
    expect((await facts()).entities.length).toBeGreaterThan(0);
    expect(sentToDevice()).toEqual(expect.arrayContaining(['show version', 'show inventory']));
  });

  it('plans startup-config with its own commands, then installs the file with them', async () => {
    registerPlatform(classicIos);
    const file = await job('startup', [{ task: 'startup-config', params: { file: 'new-startup.cfg' } }]);
    const loaded = await loadJobFile(file);
    const { hosts } = await loadHosts(loaded.inventoryFiles, ['r1'], () => undefined);
    checkSteps(loaded, hosts, tasks);
    const plan = formatPlan(loaded, hosts, tasks);
    expect(plan).toContain('r1 (127.0.0.1, classic-ios, ssh)');
    expect(plan).toMatch(/copy tftp:\/\/127\.0\.0\.1\/\S+ startup-config/);
    expect(plan).toContain('Destination filename [...]?');
    expect(plan).toContain('show startup-config');

    const installed = await run(file);
    expect(installed.status).toBe('changed');
    expect(device().startup).toContain('interface Loopback9');
  });
});
