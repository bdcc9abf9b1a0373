/**
 * What an FRR device runs besides its routing daemons, in the netns and the container lab alike:
 * OpenSSH and telnetd in front of vtysh, and snmpd, all listening on the device's management and
 * Loopback0 addresses.
 */
import type { FrrLaunch } from './frr.js';
import { prepareSnmpd } from './snmpd.js';
import { prepareSshd } from './sshd.js';
import type { NetnsSpec } from './spec.js';
import { prepareTelnetd } from './telnetd.js';

export interface FrrService {
  readonly role: string;
  readonly argv: readonly string[];
}

interface FrrServiceDevice {
  readonly name: string;
  readonly addresses: { readonly ipv4: string; readonly ipv6: string };
  readonly loopback: { readonly ipv4: string; readonly ipv6: string };
}

export async function frrServices(
  dir: string,
  spec: NetnsSpec,
  device: FrrServiceDevice,
  daemons: readonly FrrLaunch[],
  lab: { readonly name: string; readonly loginArgv?: (argv: string[]) => string[] },
): Promise<FrrService[]> {
  const login = lab.loginArgv ?? ((argv: string[]) => argv);
  const addresses = [
    device.addresses.ipv4,
    device.addresses.ipv6,
    device.loopback.ipv4,
    device.loopback.ipv6,
  ];
  return [
    ...daemons.map((d) => ({ role: d.role as string, argv: d.argv })),
    { role: 'sshd', argv: login(await prepareSshd({ dir, addresses, username: spec.username })) },
    { role: 'telnetd', argv: login(await prepareTelnetd(dir)) },
    {
      role: 'snmpd',
      argv: await prepareSnmpd({
        dir,
        hostname: device.name,
        addresses,
        readCommunity: spec.readCommunity,
        descr: `FRRouting 8 on Linux (netops ${lab.name})`,
      }),
    },
  ];
}
