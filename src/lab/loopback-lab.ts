/**
 * The loopback lab: N simulated devices in this process on 127.0.0.1 and ::1, each with SSH, telnet,
 * a console line on the terminal server and (optionally) an SNMP agent, every service on its own port
 * (the same number on both addresses). Host keys persist in the lab folder so clients can pin them.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startSnmpAgent, type SnmpAgentHandle } from './snmp/agent.js';
import { newHostKey, persistentHostKey, startSshAccess } from './access/ssh-server.js';
import { startTelnetAccess } from './access/telnet-server.js';
import { ConsoleLine, startConsoleAccess } from './access/terminal-server.js';
import type { DualListener } from './access/listeners.js';
import { Device } from './device/device.js';
import type { DeviceFaults, Platform } from './device/model.js';
import { snmpView } from './device/snmp-view.js';
import { labSpecSchema, type LabSpec, type LabSpecInput } from './spec.js';

export const labHosts = ['127.0.0.1', '::1'] as const;

export interface LabDevice {
  readonly name: string;
  readonly platform: Platform;
  readonly device: Device;
  readonly console: ConsoleLine;
  readonly ports: {
    readonly ssh: number;
    readonly telnet: number;
    readonly console: number;
    readonly snmp?: number;
  };
  /** The faults the spec gave this device. */
  readonly specFaults: DeviceFaults;
  /** Replaces the device's faults at run time (the SNMP agent's too). */
  setFaults(faults: DeviceFaults): void;
}

export interface Lab {
  readonly spec: LabSpec;
  readonly devices: readonly LabDevice[];
  close(): Promise<void>;
}

export interface LabOptions {
  /** Where host keys are kept; without it keys are new on every start. */
  readonly dir?: string;
}

function hostKey(dir: string | undefined, name: string): Promise<string> {
  return dir ? persistentHostKey(path.join(dir, 'keys', `${name}.key`)) : Promise.resolve(newHostKey());
}

export function deviceName(spec: LabSpec, i: number): string {
  return `${spec.namePrefix}${i + 1}`;
}

async function startDevice(
  spec: LabSpec,
  i: number,
  options: LabOptions,
  closers: (() => Promise<void>)[],
): Promise<LabDevice> {
  const name = deviceName(spec, i);
  const platform = spec.platforms[i % spec.platforms.length] as Platform;
  const override = spec.overrides[name];
  const n = i + 1;
  const device = new Device({
    name,
    platform,
    seed: spec.seed,
    sizeBytes: override?.configBytes ?? spec.configBytes,
    username: spec.username,
    password: spec.password,
    enableSecret: spec.enableSecret,
    readCommunity: spec.readCommunity,
    writeCommunity: spec.writeCommunity,
    loopback: { ipv4: `10.254.${254 - ((n >> 8) & 255)}.${n & 255}`, ipv6: `fd00:254::${n.toString(16)}` },
    mgmt: { ipv4: `192.0.2.${(n % 250) + 2}`, ipv6: `2001:db8::${n.toString(16)}` },
    tftpSourceLoopback: spec.tftpSourceLoopback,
    bootMs: spec.bootMs,
    tftpPort: spec.tftpPort,
    faults: { ...spec.faults, ...override?.faults } as DeviceFaults,
  });
  const hosts = labHosts;
  const ssh = await startSshAccess(device, await hostKey(options.dir, name), { hosts, port: 0 });
  closers.push(() => ssh.close());
  const telnet = await startTelnetAccess(device, { hosts, port: 0 });
  closers.push(() => telnet.close());
  const line = new ConsoleLine(device);
  const consoleListener: DualListener = await startConsoleAccess(line, { hosts, port: 0 });
  closers.push(async () => {
    line.stop();
    await consoleListener.close();
  });
  let snmp: SnmpAgentHandle | undefined;
  if (spec.snmp) {
    snmp = await startSnmpAgent(snmpView(device), {
      address: [...hosts],
      port: 0,
      communities: { read: [spec.readCommunity], write: [spec.writeCommunity] },
      faults: device.faults.snmp ?? {},
    });
    const agent = snmp;
    closers.push(() => agent.close());
  }
  const specFaults = device.faults;
  return {
    name,
    platform,
    device,
    specFaults,
    setFaults: (faults) => {
      device.faults = faults;
      snmp?.setFaults(faults.snmp ?? {});
    },
    console: line,
    ports: {
      ssh: ssh.port,
      telnet: telnet.port,
      console: consoleListener.port,
      ...(snmp ? { snmp: snmp.port } : {}),
    },
  };
}

export async function startLoopbackLab(input: LabSpecInput, options: LabOptions = {}): Promise<Lab> {
  const spec = labSpecSchema.parse(input);
  if (options.dir) await mkdir(options.dir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  };
  const devices: LabDevice[] = [];
  try {
    for (let i = 0; i < spec.devices; i++) devices.push(await startDevice(spec, i, options, closers));
  } catch (error) {
    await close();
    throw error;
  }
  return { spec, devices, close };
}
