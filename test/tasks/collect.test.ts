/**
 * The collect task end to end: a real Debian snmpd (IOS-like router rows, SNMPv3 authPriv over
 * udp6) and the lab's simulated SNMP agent (a Nexus 7000-like chassis over udp4), facts written to
 * the store, unchanged on a second run, and a swapped module named in the change.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/tasks/collect.js';
import type { Closable, RunSummary, StepOutcome, TaskContext } from '../../src/tasks/task.js';
import type { Host } from '../../src/config/model.js';
import { deviceFactsSchema } from '../../src/facts/device-facts.js';
import { isNetopsError } from '../../src/core/errors.js';
import { startSnmpAgent } from '../../src/lab/snmp/agent.js';
import type { PhysicalEntity as LabEntity } from '../../src/lab/device/model.js';
import type { EntityRow, SnmpDeviceView } from '../../src/lab/snmp/device-view.js';
import { startSnmpd, type SnmpdFixture } from '../fixtures/snmpd/agent.mjs';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { plainSecret, snmpHost } from '../snmp/hosts.js';
import { labHost } from '../platforms/lab-hosts.js';

const storeDir = useTempDir('netops-collect-');

const resources = new Map<string, Promise<Closable>>();

function context(host: Host): TaskContext {
  return {
    host,
    signal: new AbortController().signal,
    job: { name: 'inventory', dir: storeDir, settings: { store: { dir: 'store' } } },
    secret: plainSecret,
    resource: <T extends Closable>(key: string, open: () => Promise<T>) => {
      if (!resources.has(key)) resources.set(key, open());
      return resources.get(key) as Promise<T>;
    },
    log: () => undefined,
  };
}

/** Ends the run as the runner does: every resource learns the summary (the store commits). */
async function endRun(changedHosts: string[]): Promise<void> {
  const summary: RunSummary = {
    runId: '2026-11-23T02-00-00-000Z-inventory',
    job: 'inventory',
    startedAt: '2026-11-23T02:00:00.000Z',
    counts: { ok: 0, changed: changedHosts.length, failed: 0, skipped: 0 },
    changedHosts,
    failedHosts: [],
    aborted: false,
  };
  for (const resource of resources.values()) await (await resource).close(summary);
  resources.clear();
}

const lastCommit = () =>
  execFileSync('git', ['-C', path.join(storeDir, 'store'), 'log', '-1', '--format=%B'], { encoding: 'utf8' });

const run = (host: Host, params: Record<string, unknown> = {}): Promise<StepOutcome> =>
  collect.run(context(host), collect.params.parse(params));
const storedText = (host: string) => readFile(path.join(storeDir, 'store', 'facts', `${host}.json`), 'utf8');
const stored = async (host: string) => deviceFactsSchema.parse(JSON.parse(await storedText(host)));

describe('collect from a real snmpd (SNMPv3 authPriv over udp6)', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../fixtures/snmpd/ios-router.json', import.meta.url), 'utf8'),
  ) as SnmpdFixture;
  const user = { user: 'netops', authKey: 'auth-secret-1', privKey: 'priv-secret-1' };
  const agent = useStarted(() => startSnmpd(fixture, { v3: user }));
  let host: Host;
  beforeAll(() => {
    host = snmpHost(
      'r1',
      '::1',
      {
        version: '3',
        user: user.user,
        level: 'authPriv',
        authProtocol: 'sha',
        authKey: { value: user.authKey },
        privProtocol: 'aes',
        privKey: { value: user.privKey },
        port: agent.port6,
      },
      { groups: ['branch', 'routers'], data: { site: 'Site A' } },
    );
  });

  it('stores system, OS and every entity with sorted keys, commits it, then finds nothing new', async () => {
    const first = await run(host, { maxRepetitions: 5 });
    expect(first.status).toBe('changed');
    expect(first.summary).toBe(
      'CISCO2911/K9, FTX1840ALBC, ios 15.2(4)M7, 8 entities; first inventory: CISCO2911/K9 FTX1840ALBC, ios 15.2(4)M7, 8 entities',
    );

    const text = await storedText('r1');
    const facts = deviceFactsSchema.parse(JSON.parse(text));
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'entities',
      'host',
      'inventory',
      'os',
      'sources',
      'system',
    ]);
    const rawEntity = Object.keys((JSON.parse(text) as { entities: object[] }).entities[0]!);
    expect(rawEntity).toEqual([...rawEntity].sort());
    expect(facts.os).toEqual({
      name: 'ios',
      version: '15.2(4)M7',
      image: 'C2900-UNIVERSALK9-M',
      platform: 'C2900',
    });
    expect(facts.inventory).toEqual({ groups: ['branch', 'routers'], site: 'Site A', platform: 'ios' });
    expect(facts.system).toMatchObject({
      name: 'r1.lab.example',
      location: 'Site A, rack 4',
      objectId: '1.3.6.1.4.1.9.1.1041',
    });
    expect(facts.entities.map((e) => [e.index, e.class, e.containedIn])).toEqual([
      [1, 'chassis', 0],
      [2, 'container', 1],
      [3, 'module', 2],
      [4, 'port', 3],
      [5, 'container', 1],
      [6, 'module', 5],
      [7, 'powerSupply', 1],
      [8, 'fan', 1],
    ]);

    await endRun(['r1']);
    expect(lastCommit()).toContain(
      'r1: first inventory: CISCO2911/K9 FTX1840ALBC, ios 15.2(4)M7, 8 entities',
    );

    const second = await run(host);
    expect(second.status).toBe('ok');
    await endRun([]);
    expect(await storedText('r1')).toBe(text);
  });

  it('commits a swapped module with a message naming it, and writes the report the step asked for', async () => {
    agent.setEntities(fixture.entities.map((e) => (e.name === 'module 2' ? { ...e, serial: 'FOC9876' } : e)));
    const outcome = await run(host, {
      report: { out: 'reports/inventory.md', format: 'md', changesSince: '1d' },
    });
    expect(outcome.status).toBe('changed');
    expect(outcome.data?.changes).toEqual(['module 2 serial FOC1234 -> FOC9876']);
    await endRun(['r1']);
    // The report the step asked for was written after the commit, so it lists this run's change.
    const report = await readFile(path.join(storeDir, 'reports', 'inventory.md'), 'utf8');
    expect(report).toMatch(/\*\*r1\*\*: module 2 serial FOC1234 -> FOC9876\n/);
    expect(report).toContain('| Site A | module | module 2 | HWIC-4ESW | FOC9876 | V02 |');
    expect(lastCommit()).toMatch(
      /^netops inventory: 1 changed.*\n\nr1: module 2 serial FOC1234 -> FOC9876\n/,
    );
    expect((await stored('r1')).entities.find((e) => e.name === 'module 2')?.serial).toBe('FOC9876');
  });
});

describe('collect from the lab agent (Nexus 7000-like chassis over udp4, v2c)', () => {
  const row = (
    index: number,
    cls: number,
    containedIn: number,
    pos: number,
    name: string,
    descr: string,
    model = '',
    serial = '',
  ): EntityRow => ({
    index,
    descr,
    vendorType: '0.0',
    containedIn,
    class: cls,
    parentRelPos: pos,
    name,
    hardwareRev: model ? 'V01' : '',
    firmwareRev: '',
    softwareRev: '',
    serialNum: serial,
    mfgName: 'Cisco Systems, Inc.',
    modelName: model,
    alias: '',
    assetId: '',
    isFru: cls !== 3 && cls !== 5,
  });
  const rows = [
    row(149, 3, 0, -1, 'Chassis', 'Nexus7000 C7010 (10 Slot) Chassis', 'N7K-C7010', 'TBM12345678'),
    row(23, 5, 149, 1, 'Slot 1', 'Module Slot'),
    row(24, 9, 23, 1, 'Slot 1', '1/10 Gbps Ethernet Module', 'N7K-F248XP-25E', 'JAF1111AAAA'),
    row(27, 5, 149, 5, 'Slot 5', 'Module Slot'),
    row(28, 9, 27, 1, 'Slot 5', 'Supervisor Module-2', 'N7K-SUP2', 'JAF5555BBBB'),
    row(471, 6, 149, 20, 'PowerSupply-1', 'Nexus7000 C7010 Chassis Power Supply', 'N7K-AC-6.0KW', 'DTM1'),
    row(535, 7, 149, 30, 'Fan Module-1', 'Nexus7000 C7010 Chassis Fan Module', 'N7K-C7010-FAN-S', 'FOX1'),
  ];
  const device: SnmpDeviceView = {
    system: () => ({
      descr:
        'Cisco NX-OS(tm) n7000, Software (n7000-s2-dk9), Version 6.2(8b), RELEASE SOFTWARE Copyright (c) 2002-2013 by Cisco Systems, Inc. Compiled 5/15/2014 20:00:00',
      objectId: '1.3.6.1.4.1.9.12.3.1.3.612',
      upTimeTicks: 360000,
      contact: '',
      name: 'n7k-core1',
      location: 'DC1',
      services: 70,
    }),
    entities: () => rows,
    copyConfig: async () => undefined,
  };
  const agent = useStarted(() =>
    startSnmpAgent(device, {
      address: '127.0.0.1',
      port: 0,
      communities: { read: ['public'], write: [] },
    }),
  );

  it('keeps the chassis tree, and a class filter attaches modules to the chassis', async () => {
    const host = snmpHost(
      'n7k-core1',
      '127.0.0.1',
      { version: '2c', community: { value: 'public' }, port: agent.port },
      { platform: 'nxos' },
    );
    await run(host);
    const all = await stored('n7k-core1');
    expect(all.os).toMatchObject({ name: 'nx-os', version: '6.2(8b)', platform: 'n7000' });
    expect(all.entities.find((e) => e.model === 'N7K-SUP2')).toMatchObject({
      class: 'module',
      containedIn: 27,
      serial: 'JAF5555BBBB',
    });
    expect(all.entities.map((e) => e.index)).toEqual([23, 24, 27, 28, 149, 471, 535]);

    const outcome = await run(host, { classes: ['chassis', 'module', 'powerSupply', 'fan'] });
    // Dropping the slot containers changes the stored rows, and the summary says what the device is.
    expect(outcome.summary).toMatch(/^N7K-C7010, TBM12345678, nx-os 6\.2\(8b\), 5 entities/);
    const filtered = await stored('n7k-core1');
    expect(filtered.entities.map((e) => [e.model, e.containedIn])).toEqual([
      ['N7K-F248XP-25E', 149],
      ['N7K-SUP2', 149],
      ['N7K-C7010', 0],
      ['N7K-AC-6.0KW', 149],
      ['N7K-C7010-FAN-S', 149],
    ]);
  });
});

describe('collect from the lab simulators (IOS router over udp4, Nexus 7010 over udp6)', () => {
  const lab = useLoopbackLab({
    devices: 4,
    platforms: ['ios', 'nxos'],
    namePrefix: 'sim',
    // sim3 and sim4 have a broken SNMP process: only their CLI can tell what they are.
    overrides: {
      sim3: { faults: { snmp: { silent: true } } },
      sim4: { faults: { snmp: { silent: true } } },
    },
  });

  const snmpLabHost = (i: number, address: string): Host => {
    const device = lab.devices[i]!;
    const snmp = {
      version: '2c' as const,
      community: { value: lab.spec.readCommunity },
      port: device.ports.snmp!,
    };
    return snmpHost(device.name, address, snmp, { platform: device.platform });
  };

  it('reads the router with its module and the Nexus chassis with supervisors, linecards, PSUs and fans', async () => {
    await run(snmpLabHost(0, '127.0.0.1'));
    await run(snmpLabHost(1, '::1'));
    await endRun(['sim1', 'sim2']);

    const router = await stored('sim1');
    expect(router.os).toMatchObject({ name: 'ios', version: '15.2(4)M7' });
    expect(router.entities.find((e) => e.model === 'EHWIC-4ESG')).toMatchObject({
      class: 'module',
      containedIn: 5,
      hardwareRev: 'V02',
    });
    expect(router.entities.find((e) => e.class === 'chassis')?.serial).toMatch(/^FTX/);

    const nexus = await stored('sim2');
    expect(nexus.os).toMatchObject({ name: 'nx-os', version: '6.2(16)', image: 'n7000-s2-dk9' });
    const byClass = (c: string) => nexus.entities.filter((e) => e.class === c).map((e) => e.model);
    expect(byClass('chassis')).toEqual(['N7K-C7010']);
    expect(byClass('module').sort()).toEqual(['N7K-F248XP-25E', 'N7K-F248XP-25E', 'N7K-SUP2', 'N7K-SUP2']);
    expect(byClass('powerSupply')).toHaveLength(3);
    expect(byClass('fan')).toHaveLength(2);
    expect(nexus.entities.filter((e) => e.class !== 'chassis').every((e) => e.containedIn === 149)).toBe(
      true,
    );
  });

  it('commits the fact diff naming a module swapped on the simulated router', async () => {
    const device = lab.devices[0]!.device;
    const entities = device.hardware.entities as LabEntity[];
    const at = entities.findIndex((e) => e.pid === 'EHWIC-4ESG');
    const old = entities[at]!.serial;
    // An RMA: the same slot now holds a module with another serial number.
    entities[at] = { ...entities[at]!, serial: 'FOC9876ABCD' };
    const outcome = await run(snmpLabHost(0, '::1'));
    expect(outcome.status).toBe('changed');
    await endRun(['sim1']);
    expect(lastCommit()).toContain(`sim1: EHWIC-4ESG 0/0 serial ${old} -> FOC9876ABCD`);
  });

  it('falls back to show version and show inventory over SSH when SNMP does not answer, and says so', async () => {
    process.env['NETOPS_STATE_DIR'] = path.join(storeDir, 'state');
    const cliHost = (i: number): Host => {
      const device = lab.devices[i]!;
      const snmp = {
        version: '2c' as const,
        community: { value: lab.spec.readCommunity },
        port: device.ports.snmp!,
      };
      return { ...labHost(lab, device, '127.0.0.1'), snmp };
    };
    const failing = await run(cliHost(2), { timeout: 200, retries: 0 }).catch((e: unknown) => e);
    expect(isNetopsError(failing, 'SNMP_TIMEOUT')).toBe(true);

    const ios = await run(cliHost(2), { timeout: 200, retries: 0, fallback: 'cli' });
    expect(ios.summary).toMatch(
      /^CISCO2911\/K9, FTX\w+, ios 15\.2\(4\)M7, 4 entities; .* \(over the CLI: SNMP_TIMEOUT\)$/,
    );
    const nxos = await run(cliHost(3), { timeout: 200, retries: 0, fallback: 'cli' });
    expect(nxos.data?.source).toBe('cli');
    await endRun(['sim3', 'sim4']);

    const router = await stored('sim3');
    expect(router.sources).toEqual({ system: 'cli', os: 'cli', entities: 'cli' });
    expect(router.os).toMatchObject({ name: 'ios', version: '15.2(4)M7' });
    expect(router.system.name).toBe('sim3');
    const viaSnmp = lab.devices[2]!.device.hardware.entities.filter((e) => e.pid !== '');
    expect(router.entities.map((e) => [e.name, e.model, e.serial, e.hardwareRev])).toEqual(
      viaSnmp.map((e) => [e.name, e.pid, e.serial, e.vid]),
    );
    expect(router.entities.map((e) => e.class)).toEqual(['chassis', 'powerSupply', 'fan', 'module']);

    const nexus = await stored('sim4');
    expect(nexus.os).toMatchObject({ name: 'nx-os', version: '6.2(16)' });
    expect(nexus.entities.filter((e) => e.class === 'module').map((e) => e.model)).toEqual([
      'N7K-F248XP-25E',
      'N7K-F248XP-25E',
      'N7K-SUP2',
      'N7K-SUP2',
    ]);
    expect(
      nexus.entities
        .filter((e) => e.class !== 'chassis')
        .every((e) => e.containedIn === nexus.entities[0]!.index),
    ).toBe(true);
  });
});
