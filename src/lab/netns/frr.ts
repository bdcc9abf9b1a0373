/**
 * A real FRR router in a namespace: zebra, staticd and bgpd, each with its own config, PID file and
 * sockets in the device's folder (`-f`, `-i`, `-z`, `--vty_socket`), so several FRR instances never
 * meet in /var/run/frr. vtysh finds them with the same `--vty_socket`; it is the login shell of the
 * device's SSH/telnet user through a small wrapper (`vtysh-login`) that passes that option along.
 */
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DualStack } from './addressing.js';

export const frrBin = '/usr/lib/frr';
export const vtyshBin = '/usr/bin/vtysh';

export const frrRoles = ['zebra', 'staticd', 'bgpd'] as const;

/**
 * FRR's folder of one daemon process for its crash log and per-thread log buffers, named after the
 * PID it starts with (the daemon's own: the lab runs FRR in the foreground). FRR removes it when it
 * exits cleanly; after a SIGKILL or a crash it stays.
 */
export const frrTmpDir = (role: FrrLaunch['role'], pid: number) => `/var/tmp/frr/${role}.${pid}`;

export interface FrrRouter {
  readonly name: string;
  readonly asn: number;
  readonly routerId: string;
  readonly loopback: DualStack;
  /** Neighbours on the bridge: their addresses and AS numbers. */
  readonly neighbors: readonly { readonly address: string; readonly asn: number }[];
  /** The login user allowed into vtysh without a second password. */
  readonly username: string;
}

export interface FrrLaunch {
  readonly role: (typeof frrRoles)[number];
  readonly argv: string[];
}

export interface FrrIds {
  readonly frrUid: number;
  readonly frrGid: number;
  readonly vtyGid: number;
}

/** Paths of one instance, all under its folder. */
export const frrPaths = (dir: string) => ({
  dir,
  vty: dir,
  zserv: path.join(dir, 'zserv.api'),
  vtyshConfig: path.join(dir, 'vtysh'),
  loginShell: path.join(dir, 'vtysh-login'),
});

function configs(router: FrrRouter): Record<FrrLaunch['role'], string> {
  const head = `hostname ${router.name}\nlog stdout informational\n!\n`;
  const neighbors = router.neighbors.map(
    (n) => ` neighbor ${n.address} remote-as ${n.asn}\n neighbor ${n.address} timers connect 1\n`,
  );
  return {
    zebra: `${head}interface lo\n ip address ${router.loopback.ipv4}/32\n ipv6 address ${router.loopback.ipv6}/128\nexit\n`,
    // A static route to redistribute, so a session that is up also carries a prefix.
    staticd: `${head}ip route ${router.loopback.ipv4}/32 Null0 250\n`,
    bgpd:
      `${head}router bgp ${router.asn}\n bgp router-id ${router.routerId}\n no bgp ebgp-requires-policy\n` +
      `${neighbors.join('')} address-family ipv4 unicast\n  network ${router.loopback.ipv4}/32\n exit-address-family\nexit\n`,
  };
}

/** Writes the configs and the vtysh login wrapper; returns how to start the three daemons. */
export async function prepareFrr(dir: string, router: FrrRouter, ids: FrrIds): Promise<FrrLaunch[]> {
  const p = frrPaths(dir);
  await mkdir(p.vtyshConfig, { recursive: true });
  // The daemons drop to frr:frr and create their vty sockets here, group frrvty for vtysh users.
  await chown(dir, ids.frrUid, ids.vtyGid);
  await chmod(dir, 0o775);
  const files = configs(router);
  for (const [role, text] of Object.entries(files)) {
    const file = path.join(dir, `${role}.conf`);
    await writeFile(file, text, { mode: 0o640 });
    await chown(file, ids.frrUid, ids.frrGid);
  }
  // vtysh reads vtysh.conf from --config_dir; `username X nopassword` spares a second PAM login.
  await writeFile(
    path.join(p.vtyshConfig, 'vtysh.conf'),
    `service integrated-vtysh-config\nusername ${router.username} nopassword\n`,
    { mode: 0o644 },
  );
  await writeFile(
    p.loginShell,
    `#!/bin/sh\n# Login shell of ${router.username} on ${router.name}: vtysh of this FRR instance.\nexec ${vtyshBin} --vty_socket ${p.vty} --config_dir ${p.vtyshConfig} "$@"\n`,
    {
      mode: 0o755,
    },
  );
  return frrRoles.map((role) => ({
    role,
    argv: [
      path.join(frrBin, role),
      '-f',
      path.join(dir, `${role}.conf`),
      '-i',
      path.join(dir, `${role}.pid`),
      '-z',
      p.zserv,
      '--vty_socket',
      p.vty,
      // No TCP vty: vtysh over the unix sockets is the only management path, as with real FRR boxes.
      '-P',
      '0',
    ],
  }));
}

/** `vtysh -c COMMAND` of this instance, run inside its namespace. */
export function vtyshArgv(dir: string, command: string): string[] {
  const p = frrPaths(dir);
  return [vtyshBin, '--vty_socket', p.vty, '--config_dir', p.vtyshConfig, '-c', command];
}
