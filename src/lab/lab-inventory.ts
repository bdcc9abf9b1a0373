/**
 * The netops inventory of a running lab: one host per device and address family (`r1` on 127.0.0.1,
 * `r1-v6` on ::1), SSH by default, telnet port and console line included. Secrets are environment
 * references (NETOPS_LAB_PASSWORD, NETOPS_LAB_ENABLE, NETOPS_LAB_SNMP_RO, NETOPS_LAB_SNMP_RW) so the
 * file holds none; `labEnvironment()` gives their values.
 */
import { stringify } from 'yaml';
import type { Lab } from './loopback-lab.js';

export function labEnvironment(lab: Lab): Record<string, string> {
  return {
    NETOPS_LAB_PASSWORD: lab.spec.password,
    NETOPS_LAB_ENABLE: lab.spec.enableSecret,
    NETOPS_LAB_SNMP_RO: lab.spec.readCommunity,
    NETOPS_LAB_SNMP_RW: lab.spec.writeCommunity,
  };
}

export function labInventory(lab: Lab): string {
  const hosts: Record<string, unknown> = {};
  for (const d of lab.devices) {
    for (const [suffix, address] of [
      ['', '127.0.0.1'],
      ['-v6', '::1'],
    ] as const) {
      hosts[`${d.name}${suffix}`] = {
        address,
        port: d.ports.ssh,
        groups: [d.platform],
        transport: 'ssh',
        console: { host: address, port: d.ports.console },
        ...(d.ports.snmp
          ? {
              snmp: {
                version: '2c',
                community: { env: 'NETOPS_LAB_SNMP_RO' },
                writeCommunity: { env: 'NETOPS_LAB_SNMP_RW' },
                port: d.ports.snmp,
              },
            }
          : {}),
        data: { lab: { device: d.name, telnetPort: d.ports.telnet } },
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
    groups: { ios: { platform: 'ios' }, nxos: { platform: 'nxos' } },
    hosts,
  };
  return `# Written by netops lab up; secrets come from the environment (see lab.env in the lab folder).\n${stringify(inventory)}`;
}
