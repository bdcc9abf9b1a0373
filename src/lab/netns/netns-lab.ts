/**
 * `netops lab up --mode netns`: a management namespace holding the bridge (where netops runs, via
 * `lab exec`), one namespace per device on a veth to the bridge, a terminal-server namespace with
 * one console port per device, and optionally a scale namespace with thousands of device addresses.
 * Idempotent: a healthy lab is left alone, a broken one is torn down from its state and rebuilt.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { persistentHostKey } from '../access/ssh-server.js';
import {
  consolePort,
  deviceAddresses,
  ipv4AsTopBits,
  loopbackAddresses,
  scaleAddresses,
  scaleGateway,
  scaleRoutes,
  terminalServer,
} from './addressing.js';
import { impairDevice } from './impair-device.js';
import { frrIds, launchFrrDevice, type FrrDeviceLaunch } from './launch-frr.js';
import { launchNode, type ConsoleRelayLine, type LabRuntime, type SimDeviceConfig } from './launch-sim.js';
import { waitReady, type ReadyCheck } from './readiness.js';
import type { NetnsSpec } from './spec.js';
import { readState, removeState, StateWriter, type LabDeviceRecord, type NetnsState } from './state.js';
import { netnsLabStatus, stopLab } from './teardown.js';
import { addNamespaces, wire, type Attachment } from './topology.js';

export interface NetnsLabOptions {
  /** The lab folder: state file, per-device configs, keys and logs. */
  readonly dir: string;
  /** @default a new random id (or the id of the lab already recorded in `dir`) */
  readonly id?: string;
  readonly runtime?: LabRuntime;
  /** @default 60000 */
  readonly readyTimeoutMs?: number;
}

const nsName = (prefix: string, part: string) => `${prefix}-${part}`;

function deviceRecords(spec: NetnsSpec, prefix: string): LabDeviceRecord[] {
  return spec.devices.map((d, i) => ({
    name: d.name,
    platform: d.platform,
    namespace: nsName(prefix, d.name),
    addresses: deviceAddresses(i),
    loopback: loopbackAddresses(i),
    consolePort: consolePort(i),
    services:
      d.platform === 'frr'
        ? { ssh: 22, telnet: 23, snmp: 161, bgp: 179 }
        : { ssh: 22, telnet: 23, snmp: 161 },
  }));
}

function attachments(
  spec: NetnsSpec,
  records: readonly LabDeviceRecord[],
  tsNs: string,
  scaleNs: string | undefined,
): Attachment[] {
  const devices = records.map((r, i): Attachment => {
    const d = spec.devices[i];
    const quirk = d?.platform !== 'frr' && d?.tftpSourceLoopback ? [ipv4AsTopBits(r.loopback.ipv4)] : [];
    return {
      namespace: r.namespace,
      port: `d${i}`,
      addresses: r.addresses,
      // frr devices get their loopback addresses from zebra; the management side still routes to them.
      loopbacks: [r.loopback.ipv4, r.loopback.ipv6],
      unrouted: quirk,
    };
  });
  const ts: Attachment = { namespace: tsNs, port: 'ts', addresses: terminalServer, loopbacks: [] };
  if (!scaleNs || !spec.scale) return [...devices, ts];
  const { families } = spec.scale;
  const scaleLoopbacks = Array.from({ length: spec.scale.devices }, (_, i) => scaleAddresses(i)).flatMap(
    (a) => families.map((f) => a[f]),
  );
  return [
    ...devices,
    ts,
    {
      namespace: scaleNs,
      port: 'scale',
      addresses: scaleGateway,
      loopbacks: [],
      unrouted: scaleLoopbacks,
      routed: [scaleRoutes.ipv4, scaleRoutes.ipv6],
    },
  ];
}

/** A simulated device's config from the spec's shared knobs (the container lab uses it too). */
export function simConfig(
  spec: NetnsSpec,
  record: Pick<LabDeviceRecord, 'name' | 'addresses' | 'loopback'>,
  platform: 'ios' | 'nxos',
  extra: Partial<SimDeviceConfig>,
): SimDeviceConfig {
  return {
    name: record.name,
    platform,
    addresses: record.addresses,
    loopback: record.loopback,
    seed: spec.seed,
    configBytes: spec.configBytes,
    username: spec.username,
    password: spec.password,
    enableSecret: spec.enableSecret,
    readCommunity: spec.readCommunity,
    writeCommunity: spec.writeCommunity,
    bootMs: spec.bootMs,
    tftpSourceLoopback: false,
    ...extra,
  };
}

export async function netnsLabUp(spec: NetnsSpec, options: NetnsLabOptions): Promise<NetnsState> {
  if (process.getuid?.() !== 0) {
    throw new NetopsError('LAB_FAILED', 'the netns lab needs root (network namespaces, veths, tc)', {
      hint: 'Run it as root (sudo), or use `netops lab up --mode loopback`, which needs no privileges.',
    });
  }
  const dir = path.resolve(options.dir);
  const previous = await readState(dir);
  if (previous) {
    const status = await netnsLabStatus(dir);
    const healthy =
      previous.up &&
      status?.missingNamespaces.length === 0 &&
      status.devices.every((d) => d.health === 'up') &&
      status.services.every((s) => s.alive);
    if (healthy && JSON.stringify(previous.spec) === JSON.stringify(spec)) return previous;
    await stopLab(previous);
  }
  const id = options.id ?? previous?.id ?? randomBytes(4).toString('hex').slice(0, 6);
  const prefix = `nolab-${id}`;
  const records = deviceRecords(spec, prefix);
  const management = nsName(prefix, 'mgmt');
  const tsNs = nsName(prefix, 'ts');
  const scaleNs = spec.scale ? nsName(prefix, 'scale') : undefined;
  const namespaces = [management, tsNs, ...records.map((r) => r.namespace), ...(scaleNs ? [scaleNs] : [])];
  await mkdir(dir, { recursive: true });
  // Daemons that drop privileges (FRR as frr, the device login user) must reach their folders.
  await chmod(dir, 0o711);
  const state = new StateWriter({
    version: 1,
    id,
    prefix,
    dir,
    spec,
    createdAt: new Date().toISOString(),
    management,
    namespaces: [],
    processes: [],
    devices: records,
    up: false,
  });
  await state.update((s) => void (s.namespaces = namespaces));
  try {
    await build(spec, state, options);
  } catch (error) {
    // A half-built lab is worse than none: remove what was started; the logs stay in the folder.
    await stopLab(state.state);
    await removeState(dir);
    throw error;
  }
  await state.update((s) => void (s.up = true));
  return state.state;
}

async function build(spec: NetnsSpec, state: StateWriter, options: NetnsLabOptions): Promise<void> {
  const { dir, namespaces, management, devices: records, prefix } = state.state;
  const tsNs = nsName(prefix, 'ts');
  const scaleNs = spec.scale ? nsName(prefix, 'scale') : undefined;
  await addNamespaces(namespaces);
  await wire(management, attachments(spec, records, tsNs, scaleNs));

  const checks: ReadyCheck[] = [];
  const deviceDir = async (name: string) => {
    const d = path.join(dir, 'devices', name);
    await mkdir(d, { recursive: true, mode: 0o711 });
    await chmod(d, 0o711);
    return d;
  };
  const ids = records.some((r) => r.platform === 'frr') ? await frrIds() : undefined;
  const runtime = options.runtime ?? {};
  const consoleLines: ConsoleRelayLine[] = [];
  for (const [i, record] of records.entries()) {
    const device = spec.devices[i];
    if (!device) continue;
    const ddir = await deviceDir(record.name);
    if (device.platform === 'frr' && ids) {
      const launch: FrrDeviceLaunch = {
        record,
        dir: ddir,
        asn: device.asn ?? 65000 + i + 1,
        neighbors: device.bgpNeighbors.map((name) => {
          const j = spec.devices.findIndex((d) => d.name === name);
          return { address: deviceAddresses(j).ipv4, asn: spec.devices[j]?.asn ?? 65000 + j + 1 };
        }),
        uid: 64000 + i,
      };
      checks.push(await launchFrrDevice(launch, spec, ids, state));
      consoleLines.push({ port: consolePort(i), target: { host: record.addresses.ipv4, port: 23 } });
    } else if (device.platform !== 'frr') {
      const consoleSocket = path.join(ddir, 'console.sock');
      const config = simConfig(spec, record, device.platform, {
        tftpSourceLoopback: device.tftpSourceLoopback,
        consoleSocket,
        hostKey: await persistentHostKey(path.join(ddir, 'sim_host_key')),
      });
      checks.push(
        await launchNode(
          {
            name: `${record.name}/sim`,
            namespace: record.namespace,
            dir: ddir,
            entry: 'device-main',
            config: { devices: [config] },
          },
          runtime,
          state,
        ),
      );
      consoleLines.push({ port: consolePort(i), target: { path: consoleSocket } });
    }
  }
  const tsDir = await deviceDir('terminal-server');
  const relay = { addresses: [terminalServer.ipv4, terminalServer.ipv6], lines: consoleLines };
  checks.push(
    await launchNode(
      { name: 'terminal-server', namespace: tsNs, dir: tsDir, entry: 'console-relay-main', config: relay },
      runtime,
      state,
    ),
  );
  if (spec.scale && scaleNs)
    checks.push(...(await launchScale(spec, scaleNs, await deviceDir('scale'), runtime, state)));

  await waitReady(checks, options.readyTimeoutMs ?? 60_000);
  // After the devices answer: an impaired link would only slow their start.
  for (const device of spec.devices) if (device.impair) await impairDevice(state, device.name, device.impair);
}

async function launchScale(
  spec: NetnsSpec,
  namespace: string,
  dir: string,
  runtime: LabRuntime,
  state: StateWriter,
): Promise<ReadyCheck[]> {
  const scale = spec.scale;
  if (!scale) throw new Error('launchScale without a scale spec');
  const hostKey = await persistentHostKey(path.join(dir, 'sim_host_key'));
  const devices = Array.from({ length: scale.devices }, (_, i): SimDeviceConfig => {
    const addresses = scaleAddresses(i);
    const record: LabDeviceRecord = {
      name: `s${i + 1}`,
      platform: 'ios',
      namespace,
      addresses,
      loopback: addresses,
      services: {},
    };
    return simConfig(spec, record, scale.platforms[i % scale.platforms.length] ?? 'ios', {
      hostKey,
      listenOnLoopback: false,
      families: scale.families,
      ...(scale.latencyMs > 0 ? { faults: { latencyMs: scale.latencyMs } } : {}),
    });
  });
  // Per device and family: SSH and telnet listeners and an SNMP socket. Raising the limit beyond
  // the hard one needs CAP_SYS_RESOURCE, which a sandbox may lack: the devices are then shared out
  // over as many simulator processes as the hard limit asks (10,000 devices on one family need
  // 31,024 descriptors; seen here: a hard limit of 20,000 and prlimit refused).
  const perDevice = 3 * scale.families.length;
  const perProcess = devicesPerSimulator(perDevice, await hardFileLimit());
  const checks: ReadyCheck[] = [];
  for (let first = 0, n = 1; first < devices.length; first += perProcess, n++) {
    const share = devices.slice(first, first + perProcess);
    const name = n === 1 ? 'scale/sim' : `scale/sim-${n}`;
    const simDir = n === 1 ? dir : path.join(dir, String(n));
    await mkdir(simDir, { recursive: true });
    const maxFiles = perDevice * share.length + 1024;
    checks.push(
      await launchNode(
        { name, namespace, dir: simDir, entry: 'device-main', config: { devices: share }, maxFiles },
        runtime,
        state,
      ),
    );
  }
  return checks;
}

/** How many scale devices one simulator process can serve within a hard limit of open files. */
export function devicesPerSimulator(filesPerDevice: number, hardLimit: number): number {
  return Math.max(1, Math.floor((Math.min(hardLimit, 1_048_576) - 1024) / filesPerDevice));
}

/** This process's hard limit of open files (`ulimit -Hn`), from /proc/self/limits. */
async function hardFileLimit(): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(limits)?.[1];
  return hard === undefined || hard === 'unlimited' ? 1_048_576 : Number(hard);
}
