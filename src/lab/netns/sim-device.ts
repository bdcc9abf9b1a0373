/**
 * A simulated ios/nxos device served inside a namespace: the lab's device model with SSH on 22,
 * telnet on 23 and SNMP on 161 of its own addresses, and (optionally) its console line on a unix
 * socket that the terminal server relays to a TCP port. Unix sockets are not network-namespaced,
 * so the console crosses from the terminal server's namespace like a serial cable.
 */
import { createServer, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import { startSshAccess, newHostKey } from '../access/ssh-server.js';
import { startTelnetAccess } from '../access/telnet-server.js';
import { ConsoleLine } from '../access/terminal-server.js';
import { Device } from '../device/device.js';
import type { DeviceFaults } from '../device/model.js';
import { snmpView } from '../device/snmp-view.js';
import { startSnmpAgent } from '../snmp/agent.js';
import type { DualStack } from './addressing.js';

export interface SimDeviceConfig {
  readonly name: string;
  readonly platform: 'ios' | 'nxos';
  readonly addresses: DualStack;
  readonly loopback: DualStack;
  readonly seed: number;
  readonly configBytes: number;
  readonly username: string;
  readonly password: string;
  readonly enableSecret: string;
  readonly readCommunity: string;
  readonly writeCommunity: string;
  readonly bootMs: number;
  readonly tftpSourceLoopback: boolean;
  /** OpenSSH-format private host key; a new one when absent. */
  readonly hostKey?: string;
  /** Where the console line listens (a unix socket path). */
  readonly consoleSocket?: string;
  /** Ports; the standard ones unless a test or the scale mode says otherwise. */
  readonly ports?: { readonly ssh: number; readonly telnet: number; readonly snmp: number };
  /** Also answer on the Loopback0 addresses (a real router does). @default true */
  readonly listenOnLoopback?: boolean;
  /** Families to answer on (the scale namespace may drop one to save sockets). @default both */
  readonly families?: readonly ('ipv4' | 'ipv6')[];
  /** Fault knobs (the scale namespace's latency). @default none */
  readonly faults?: DeviceFaults;
}

export interface RunningSimDevice {
  readonly device: Device;
  close(): Promise<void>;
}

export const standardPorts = { ssh: 22, telnet: 23, snmp: 161 } as const;

export async function startSimDevice(config: SimDeviceConfig): Promise<RunningSimDevice> {
  const device = new Device({
    name: config.name,
    platform: config.platform,
    seed: config.seed,
    sizeBytes: config.configBytes,
    username: config.username,
    password: config.password,
    enableSecret: config.enableSecret,
    readCommunity: config.readCommunity,
    writeCommunity: config.writeCommunity,
    loopback: config.loopback,
    mgmt: config.addresses,
    tftpSourceLoopback: config.tftpSourceLoopback,
    bootMs: config.bootMs,
    ...(config.faults ? { faults: config.faults } : {}),
    // Each device owns its addresses in its namespace: TFTP leaves from the source IOS would use.
    bindSourceAddresses: true,
  });
  const ports = config.ports ?? standardPorts;
  const families = config.families ?? ['ipv4', 'ipv6'];
  const sets = config.listenOnLoopback === false ? [config.addresses] : [config.addresses, config.loopback];
  const hosts = sets.flatMap((set) => families.map((family) => set[family]));
  const closers: (() => Promise<void>)[] = [];
  const close = async () => void (await Promise.all(closers.splice(0).map((c) => c())));
  try {
    const ssh = await startSshAccess(device, config.hostKey ?? newHostKey(), { hosts, port: ports.ssh });
    closers.push(() => ssh.close());
    const telnet = await startTelnetAccess(device, { hosts, port: ports.telnet });
    closers.push(() => telnet.close());
    const snmp = await startSnmpAgent(snmpView(device), {
      address: hosts,
      port: ports.snmp,
      communities: { read: [config.readCommunity], write: [config.writeCommunity] },
    });
    closers.push(() => snmp.close());
    if (config.consoleSocket) {
      const line = new ConsoleLine(device);
      const server = await listenUnix(config.consoleSocket, (socket) => line.attach(socket));
      const path = config.consoleSocket;
      closers.push(async () => {
        line.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(path, { force: true });
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { device, close };
}

async function listenUnix(path: string, onSocket: Parameters<typeof createServer>[1]): Promise<Server> {
  await rm(path, { force: true });
  const server = createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
