/**
 * `netops lab doctor`: can this machine run the netns lab? Root, iproute2 (ip, ss, tc), the kernel's
 * netem qdisc, and the real devices' daemons (FRR, snmpd, sshd, inetd/telnetd). Prints one command
 * that installs every missing Debian package.
 */
import { access, constants } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { run } from './command.js';
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

/** Whether the kernel has the netem qdisc: tried on `lo` of a throw-away namespace. */
export async function netemAvailable(): Promise<boolean> {
  const probe = `nolab-probe-${randomBytes(3).toString('hex')}`;
  const added = await run('ip', ['netns', 'add', probe], { allowFailure: true });
  if (added.code !== 0) return false;
  try {
    const tc = await run('tc', ['-n', probe, 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], {
      allowFailure: true,
    });
    return tc.code === 0;
  } finally {
    await run('ip', ['netns', 'del', probe], { allowFailure: true });
  }
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
  ];
  if (root && checks[1]?.ok) {
    const netem = await netemAvailable();
    checks.push({
      name: 'netem qdisc',
      ok: netem,
      detail: netem
        ? 'tc netem works'
        : 'this kernel has no netem (CONFIG_NET_SCH_NETEM): delay/jitter/loss in a lab spec will fail; the rest works',
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

export function formatDoctor(report: DoctorReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok     ' : 'MISSING'}  ${c.name}: ${c.detail}`);
  if (report.installCommand) lines.push('', `install what is missing with:\n  ${report.installCommand}`);
  else if (report.ok) lines.push('', 'the netns lab can run here');
  return `${lines.join('\n')}\n`;
}
