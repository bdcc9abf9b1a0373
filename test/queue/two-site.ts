/**
 * The scale-out test topology: a real redis-server on the host's loopback; two sites, each a netns
 * lab of its own (198.18/15 and 2001:db8::/32, no route out) whose devices only its management
 * namespace reaches, and where that site's worker runs with its own TFTP address; and a loopback lab
 * on the host for the host's worker. Both netns labs use the lab's one address plan, so `a1` and `b1`
 * have the same address in different sites: a host routed to the wrong site's worker reaches the
 * other site's device (another hostname, another config), which the tests would see.
 *
 * One inventory holds every host with its `site` (`a`, `b`, `hq`); its secrets are environment
 * references that every worker resolves itself.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { labEnvironment, labInventory } from '../../src/lab/lab-inventory.js';
import { startLoopbackLab, type Lab } from '../../src/lab/loopback-lab.js';
import { management } from '../../src/lab/netns/addressing.js';
import { netnsInventory } from '../../src/lab/netns/netns-inventory.js';
import { netnsLabUp } from '../../src/lab/netns/netns-lab.js';
import { parseNetnsSpec } from '../../src/lab/netns/spec.js';
import type { NetnsState } from '../../src/lab/netns/state.js';
import { netnsLabDown } from '../../src/lab/netns/teardown.js';
import { useFixture, useTempDir } from '../helpers/fixture.js';
import { startRedisRelay, type RedisRelay } from '../../bench/queue/redis-relay.mjs';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { freeUdpPort } from '../tasks/backup-helpers.js';

/** The netns lab's daemons run from the built CLI's dist/ (the workers run it too). */
const distLab = fileURLToPath(new URL('../../dist/lab/netns/', import.meta.url));

export interface Site {
  readonly name: string;
  /** Where the site's worker runs: a lab's management namespace, or the host (undefined). */
  readonly namespace: string | undefined;
  /** `--tftp-listen` values of the site's worker. */
  readonly tftpListen: readonly string[];
  /** Inventory host names of the site. */
  readonly hosts: readonly string[];
}

export interface TwoSites {
  readonly dir: string;
  readonly redis: RedisServer;
  /** Sites `a` and `b` (netns labs) and `hq` (the host's loopback lab). */
  readonly sites: Readonly<Record<'a' | 'b' | 'hq', Site>>;
  /** Hosts whose site (`c`) no worker serves. */
  readonly orphans: readonly string[];
  /** `inventory.yaml` in `dir`. */
  readonly inventory: string;
  /** The secrets the inventory refers to, for workers' environments (never the coordinator's). */
  readonly secrets: Readonly<Record<string, string>>;
}

interface Started extends TwoSites {
  readonly labs: readonly NetnsState[];
  readonly relays: readonly RedisRelay[];
  readonly hqLab: Lab;
}

type InventoryHosts = Record<string, Record<string, unknown>>;

function withSite(hosts: InventoryHosts, site: string): InventoryHosts {
  return Object.fromEntries(
    Object.entries(hosts).map(([name, host]) => {
      const snmp = host['snmp'] as Record<string, unknown> | undefined;
      // tftp-snmp writes CISCO-CONFIG-COPY-MIB rows: the netns inventory names no write community.
      const writable = snmp ? { snmp: { ...snmp, writeCommunity: { env: 'NETOPS_LAB_SNMP_RW' } } } : {};
      return [name, { ...host, ...writable, site }];
    }),
  );
}

const hostsOf = (yamlText: string) => (parse(yamlText) as { hosts: InventoryHosts }).hosts;

async function siteLab(dir: string, site: 'a' | 'b'): Promise<NetnsState> {
  const spec = parseNetnsSpec({
    devices: [
      { name: `${site}1`, platform: 'ios' },
      { name: `${site}2`, platform: 'nxos' },
    ],
  });
  return netnsLabUp(spec, { dir: path.join(dir, `site-${site}`), runtime: { entries: distLab } });
}

const netnsSite = (name: string, state: NetnsState): Site => ({
  name,
  namespace: state.management,
  tftpListen: [`${management.ipv4}:69`, `[${management.ipv6}]:69`],
  hosts: Object.keys(hostsOf(netnsInventory(state))),
});

async function writeInventory(file: string, labs: readonly NetnsState[], hq: Lab, orphans: number) {
  const hqHosts = Object.entries(hostsOf(labInventory(hq)));
  const inventory = parse(labInventory(hq)) as Record<string, unknown>;
  inventory['hosts'] = {
    ...withSite(hostsOf(netnsInventory(labs[0]!)), 'a'),
    ...withSite(hostsOf(netnsInventory(labs[1]!)), 'b'),
    ...withSite(Object.fromEntries(hqHosts.slice(orphans)), 'hq'),
    ...withSite(Object.fromEntries(hqHosts.slice(0, orphans)), 'c'),
  };
  await writeFile(file, stringify(inventory));
  return hqHosts.map(([name]) => name);
}

async function start(dir: string): Promise<Started> {
  await mkdir(dir, { recursive: true });
  const redis = await startRedisServer();
  const labs: NetnsState[] = [];
  const relays: RedisRelay[] = [];
  const tftpPort = await freeUdpPort();
  // r1/r1-v6 stand for a branch (site c) with no worker; r2..r3 are the host's own devices.
  const hqLab = await startLoopbackLab({ devices: 3, tftpPort }, { dir: path.join(dir, 'hq') });
  const started = () => ({ dir, redis, labs, relays, hqLab });
  try {
    for (const site of ['a', 'b'] as const) labs.push(await siteLab(dir, site));
    for (const lab of labs) relays.push(await startRedisRelay(lab.management, redis));
    const inventory = path.join(dir, 'inventory.yaml');
    const hqNames = await writeInventory(inventory, labs, hqLab, 2);
    const sites = {
      a: netnsSite('a', labs[0]!),
      b: netnsSite('b', labs[1]!),
      hq: {
        name: 'hq',
        namespace: undefined,
        tftpListen: [`127.0.0.1:${tftpPort}`, `[::1]:${tftpPort}`],
        hosts: hqNames.slice(2),
      },
    };
    return { ...started(), sites, orphans: hqNames.slice(0, 2), inventory, secrets: labEnvironment(hqLab) };
  } catch (error) {
    await stop(started());
    throw error;
  }
}

async function stop(t: Pick<Started, 'dir' | 'redis' | 'labs' | 'relays' | 'hqLab'>): Promise<void> {
  for (const relay of t.relays) await relay.close();
  for (const lab of t.labs) await netnsLabDown(lab.dir);
  await t.hqLab.close();
  await t.redis.stop();
}

/** The topology for the file's tests, torn down (relays, labs, redis, by PID and name) after them. */
export function useTwoSites(prefix: string): TwoSites {
  const dir = useTempDir(prefix, 0o711);
  return useFixture(() => start(dir), stop, { timeoutMs: 180_000 });
}
