/**
 * The netops inventory of a netns lab (for `netops lab exec -- netops run ...` in the management
 * namespace) or a container lab (netops on the host): one host per device and family (`r1` on its
 * IPv4 address, `r1-v6` on its IPv6 one), standard ports, console lines on the terminal server.
 * Secrets are environment references whose values are in the env file (mode 0600) next to it, so
 * the inventory holds none.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { terminalServer, type DualStack } from './addressing.js';
import type { NetnsSpec } from './spec.js';
import type { NetnsState } from './state.js';

export interface InventoryLab {
  readonly id: string;
  readonly mode: 'netns' | 'container';
  readonly spec: NetnsSpec;
  readonly terminalServer: DualStack;
  readonly devices: readonly {
    readonly name: string;
    readonly platform: string;
    readonly addresses: DualStack;
    readonly loopback: DualStack;
    readonly consolePort?: number;
    /** Where the device lives (`namespace` or `container`), for `data.lab`. */
    readonly place: Readonly<Record<string, string>>;
  }[];
}

export function netnsInventory(state: NetnsState): string {
  return labInventory({
    id: state.id,
    mode: 'netns',
    spec: state.spec,
    terminalServer,
    devices: state.devices.map((d) => ({ ...d, place: { namespace: d.namespace } })),
  });
}

export function labInventory(lab: InventoryLab): string {
  const hosts: Record<string, unknown> = {};
  for (const d of lab.devices) {
    for (const [suffix, address, ts] of [
      ['', d.addresses.ipv4, lab.terminalServer.ipv4],
      ['-v6', d.addresses.ipv6, lab.terminalServer.ipv6],
    ] as const) {
      hosts[`${d.name}${suffix}`] = {
        address,
        groups: [d.platform],
        transport: 'ssh',
        ...(d.consolePort ? { console: { host: ts, port: d.consolePort } } : {}),
        snmp: {
          version: '2c',
          community: { env: 'NETOPS_LAB_SNMP_RO' },
          // The simulators' CISCO-CONFIG-COPY-MIB takes writes (tftp-snmp); FRR's snmpd is read-only.
          ...(d.platform === 'frr' ? {} : { writeCommunity: { env: 'NETOPS_LAB_SNMP_RW' } }),
        },
        data: {
          // Where its uploads may come from: `ip tftp source-interface Loopback0` sends from there.
          addresses: [d.loopback.ipv4, d.loopback.ipv6],
          lab: { device: d.name, ...d.place, loopback: d.loopback },
        },
      };
    }
  }
  const inventory = {
    defaults: { credentials: 'lab' },
    credentials: {
      lab: {
        username: lab.spec.username,
        password: { env: 'NETOPS_LAB_PASSWORD' },
        enable: { env: 'NETOPS_LAB_ENABLE' },
      },
    },
    groups: { ios: { platform: 'ios' }, nxos: { platform: 'nxos' }, frr: { platform: 'frr' } },
    hosts,
  };
  return `# Written by netops lab up --mode ${lab.mode} (lab ${lab.id}); secrets come from ${lab.mode}-lab.env.\n${stringify(inventory)}`;
}

export function writeNetnsInventory(state: NetnsState): Promise<{ inventory: string; env: string }> {
  return writeLabInventory(state.dir, 'netns', netnsInventory(state), state.spec);
}

/** Writes DIR/MODE-inventory.yaml and DIR/MODE-lab.env (the secrets it references, mode 0600). */
export async function writeLabInventory(
  dir: string,
  mode: InventoryLab['mode'],
  text: string,
  spec: NetnsSpec,
): Promise<{ inventory: string; env: string }> {
  const inventory = path.join(dir, `${mode}-inventory.yaml`);
  const env = path.join(dir, `${mode}-lab.env`);
  await writeFileAtomic(inventory, text);
  const values = {
    NETOPS_LAB_PASSWORD: spec.password,
    NETOPS_LAB_ENABLE: spec.enableSecret,
    NETOPS_LAB_SNMP_RO: spec.readCommunity,
    NETOPS_LAB_SNMP_RW: spec.writeCommunity,
  };
  const lines = Object.entries(values).map(
    ([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`,
  );
  await writeFileAtomic(env, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { inventory, env };
}
