/**
 * The netops inventory of a netns lab, for `netops lab exec -- netops run ...` in the management
 * namespace: one host per device and family (`r1` on its IPv4 address, `r1-v6` on its IPv6 one),
 * standard ports, console lines on the terminal server. Secrets are environment references whose
 * values are in `netns-lab.env` (mode 0600) next to it, so the inventory holds none.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { terminalServer } from './addressing.js';
import type { NetnsState } from './state.js';

export function netnsInventory(state: NetnsState): string {
  const hosts: Record<string, unknown> = {};
  for (const d of state.devices) {
    for (const [suffix, address, ts] of [
      ['', d.addresses.ipv4, terminalServer.ipv4],
      ['-v6', d.addresses.ipv6, terminalServer.ipv6],
    ] as const) {
      hosts[`${d.name}${suffix}`] = {
        address,
        groups: [d.platform],
        transport: 'ssh',
        ...(d.consolePort ? { console: { host: ts, port: d.consolePort } } : {}),
        snmp: { version: '2c', community: { env: 'NETOPS_LAB_SNMP_RO' } },
        data: {
          // Where its uploads may come from: `ip tftp source-interface Loopback0` sends from there.
          addresses: [d.loopback.ipv4, d.loopback.ipv6],
          lab: { device: d.name, namespace: d.namespace, loopback: d.loopback },
        },
      };
    }
  }
  const inventory = {
    defaults: { credentials: 'lab' },
    credentials: {
      lab: {
        username: state.spec.username,
        password: { env: 'NETOPS_LAB_PASSWORD' },
        enable: { env: 'NETOPS_LAB_ENABLE' },
      },
    },
    groups: { ios: { platform: 'ios' }, nxos: { platform: 'nxos' }, frr: { platform: 'frr' } },
    hosts,
  };
  return `# Written by netops lab up --mode netns (lab ${state.id}); secrets come from netns-lab.env.\n${stringify(inventory)}`;
}

export async function writeNetnsInventory(state: NetnsState): Promise<{ inventory: string; env: string }> {
  const inventory = path.join(state.dir, 'netns-inventory.yaml');
  const env = path.join(state.dir, 'netns-lab.env');
  const { spec } = state;
  await writeFileAtomic(inventory, netnsInventory(state));
  const values = {
    NETOPS_LAB_PASSWORD: spec.password,
    NETOPS_LAB_ENABLE: spec.enableSecret,
    NETOPS_LAB_SNMP_RO: spec.readCommunity,
  };
  const lines = Object.entries(values).map(
    ([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`,
  );
  await writeFileAtomic(env, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { inventory, env };
}
