/**
 * `netops lab doctor`: can this machine run the netns lab? Root, iproute2 (ip, ss, tc), the real
 * devices' daemons (FRR, snmpd, sshd, inetd/telnetd), what link impairment needs (nftables, nsenter,
 * python3, /dev/net/tun; netem where the kernel has it). Prints one command that installs every
 * missing Debian package.
 */
import { access, constants } from 'node:fs/promises';
import { netemAvailable } from '../impair/netem.js';
import { python } from '../impair/relay.js';
import { frrBin, vtyshBin } from './frr.js';
import { snmpdBin } from './snmpd.js';
import { sshdBin } from './sshd.js';
import { inetdBin, telnetdBin } from './telnetd.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, or what is wrong. */
  readonly detail: string;
  /** The Debian package that fixes it, when one does. */
  readonly package?: string;
}

export interface DoctorReport {
  readonly checks: readonly Check[];
  readonly ok: boolean;
  /** The one command that installs every missing package, when any is missing. */
  readonly installCommand?: string;
}

const executable = (file: string) =>
  access(file, constants.X_OK).then(
    () => true,
    () => false,
  );

async function programs(name: string, pkg: string, files: readonly string[]): Promise<Check> {
  const missing = [];
  for (const file of files) if (!(await executable(file))) missing.push(file);
  return {
    name,
    ok: missing.length === 0,
    detail: missing.length === 0 ? files.join(', ') : `missing ${missing.join(', ')}`,
    package: pkg,
  };
}

/** The impairment relay's TUN devices need /dev/net/tun (the kernel's `tun` module). */
async function tunDevice(): Promise<Check> {
  const ok = await access('/dev/net/tun', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  return {
    name: '/dev/net/tun (link impairment relay)',
    ok,
    detail: ok ? 'present' : 'missing: load the tun module (`modprobe tun`) or use a kernel with CONFIG_TUN',
  };
}

export async function labDoctor(): Promise<DoctorReport> {
  const root = process.getuid?.() === 0;
  const checks: Check[] = [
    {
      name: 'root',
      ok: root,
      detail: root ? 'running as root' : 'namespaces, veths and tc need root: run with sudo',
    },
    await programs('iproute2 (ip, ss, tc)', 'iproute2', ['/usr/sbin/ip', '/usr/bin/ss', '/usr/sbin/tc']),
    await programs('frr (zebra, staticd, bgpd, vtysh)', 'frr', [
      `${frrBin}/zebra`,
      `${frrBin}/staticd`,
      `${frrBin}/bgpd`,
      vtyshBin,
    ]),
    await programs('snmpd', 'snmpd', [snmpdBin]),
    await programs('sshd', 'openssh-server', [sshdBin, '/usr/bin/ssh-keygen']),
    await programs('telnetd', 'inetutils-telnetd', [telnetdBin]),
    await programs('inetd', 'inetutils-inetd', [inetdBin]),
    await programs('openssl (password hashes)', 'openssl', ['/usr/bin/openssl']),
    await programs('nftables (link impairment: loss)', 'nftables', ['/usr/sbin/nft']),
    await programs('nsenter (link impairment)', 'util-linux', ['/usr/bin/nsenter']),
    await programs('python3 (link impairment relay)', 'python3', [python]),
    await tunDevice(),
  ];
  if (root && checks[1]?.ok) {
    const netem = await netemAvailable();
    checks.push({
      name: 'netem qdisc',
      ok: netem,
      detail: netem
        ? 'tc netem works: it impairs the from-device direction'
        : 'this kernel has no netem (CONFIG_NET_SCH_NETEM): the impairment relay delays, jitters, reorders and duplicates instead',
    });
  }
  const packages = [...new Set(checks.filter((c) => !c.ok && c.package).map((c) => c.package as string))];
  return {
    checks,
    // netem is a kernel matter; everything else is needed.
    ok: checks.every((c) => c.ok || c.name === 'netem qdisc'),
    ...(packages.length > 0
      ? {
          installCommand: `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}   (or: npm run lab:deps)`,
        }
      : {}),
  };
}

export function formatDoctor(report: DoctorReport, lab = 'the netns lab'): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok     ' : 'MISSING'}  ${c.name}: ${c.detail}`);
  if (report.installCommand) lines.push('', `install what is missing with:\n  ${report.installCommand}`);
  else if (report.ok) lines.push('', `${lab} can run here`);
  return `${lines.join('\n')}\n`;
}
