/**
 * What each kind of lab container runs, written into its folder on the host (mounted at the same
 * path inside): a simulated device's `device.json` (the netns lab's device-main), the terminal
 * server's `console.json`, and for an frr device the same FRR, sshd, inetd and snmpd configs the
 * netns lab writes, plus `login.user` and `services.sh` that the image's start-frr uses.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { persistentHostKey } from '../access/ssh-server.js';
import type { ConsoleRelayLine } from '../netns/console-relay-main.js';
import { prepareFrr } from '../netns/frr.js';
import { frrServices } from '../netns/frr-services.js';
import { sha512Crypt } from '../netns/login-user.js';
import { simConfig } from '../netns/netns-lab.js';
import type { NetnsSpec } from '../netns/spec.js';
import type { ContainerDeviceRecord } from './state.js';

/** Inside the sim image: the compiled lab under /opt/netops (see images/sim/Containerfile). */
const simEntry = (name: 'device-main' | 'console-relay-main') => `/opt/netops/lab/netns/${name}.js`;

export const consoleSocket = (dir: string): string => path.join(dir, 'console.sock');

export async function simDeviceArgv(
  dir: string,
  spec: NetnsSpec,
  record: Omit<ContainerDeviceRecord, 'launch'>,
  tftpSourceLoopback: boolean,
): Promise<string[]> {
  if (record.platform === 'frr') throw new Error(`${record.name} is not a simulated device`);
  const config = simConfig(spec, record, record.platform, {
    tftpSourceLoopback,
    consoleSocket: consoleSocket(dir),
    hostKey: await persistentHostKey(path.join(dir, 'sim_host_key')),
  });
  const file = path.join(dir, 'device.json');
  await writeFile(file, JSON.stringify({ devices: [config] }), { mode: 0o600 });
  return ['node', simEntry('device-main'), file];
}

export async function terminalServerArgv(
  dir: string,
  addresses: readonly string[],
  lines: readonly ConsoleRelayLine[],
): Promise<string[]> {
  const file = path.join(dir, 'console.json');
  await writeFile(file, JSON.stringify({ addresses, lines }), { mode: 0o600 });
  return ['node', simEntry('console-relay-main'), file];
}

export interface FrrContainerRouter {
  readonly asn: number;
  readonly neighbors: readonly { readonly address: string; readonly asn: number }[];
}

const quoted = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** `services.sh`: every daemon in the background with its log in the folder; TERM stops them all. */
function servicesScript(dir: string, services: readonly { role: string; argv: readonly string[] }[]): string {
  const lines = services.map(
    (s) => `${s.argv.map(quoted).join(' ')} >>${quoted(path.join(dir, `${s.role}.log`))} 2>&1 &`,
  );
  return ["trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT", ...lines, 'wait', ''].join('\n');
}

export async function frrDeviceArgv(
  dir: string,
  spec: NetnsSpec,
  record: Omit<ContainerDeviceRecord, 'launch'>,
  router: FrrContainerRouter,
): Promise<string[]> {
  const frrDir = path.join(dir, 'frr');
  await mkdir(frrDir, { recursive: true });
  // Owned by root here; start-frr hands them to the image's own frr user and frrvty group.
  const daemons = await prepareFrr(
    frrDir,
    {
      name: record.name,
      routerId: record.loopback.ipv4,
      loopback: record.loopback,
      username: spec.username,
      ...router,
    },
    { frrUid: 0, frrGid: 0, vtyGid: 0 },
  );
  const services = await frrServices(dir, spec, record, daemons, { name: 'container lab' });
  await writeFile(path.join(dir, 'login.user'), `${spec.username}:${await sha512Crypt(spec.password)}\n`, {
    mode: 0o600,
  });
  await writeFile(path.join(dir, 'services.sh'), servicesScript(dir, services), { mode: 0o600 });
  return ['/usr/local/sbin/start-frr', dir];
}
