/**
 * Real peers for transport tests: FRR (zebra + staticd in their own network namespace, so nothing
 * touches the host's routes), a test user whose login shell is vtysh, and OpenSSH sshd / inetutils
 * telnetd served inetd-style from a Node listener on an ephemeral loopback port (sshd -i, telnetd
 * with the socket as stdin/stdout), so parallel tests never collide on ports.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Host } from '../../src/config/model.js';
import { stopChild } from '../helpers/child-process.js';
import { frrTmpDir, type FrrLaunch } from '../../src/lab/netns/frr.js';
import { isAlive, startTimeOf, stopProcesses, type ProcessId } from '../../src/lab/netns/processes.js';

/** The vtysh user of every FRR test; the test runs and files that run at once all log in as it. */
export const vtyshUser = { name: 'netops-vtysh', password: 'frr-test-pw1' } as const;

// The user is one for the machine, so the FRR instance cannot be the user's: the server that logs
// the user in names it in the session's environment (sshd: SetEnv; telnetd: in its login command,
// as telnetd clears its own environment and `login -p` keeps the one it is given), and a session
// without one fails rather than reach another run's FRR.
const instanceVariable = 'NETOPS_VTY_DIR';
const shellWrapper = '/usr/local/lib/netops-test/vtysh-instance';

/** Creates (once) the vtysh user, whose login shell is vtysh against the instance its session names. */
export function ensureVtyshUser(): void {
  const { name, password } = vtyshUser;
  const script = `
set -e
mkdir -p /usr/local/lib/netops-test
printf '#!/bin/sh\\nexec /usr/bin/vtysh --vty_socket "\${${instanceVariable}:?names no FRR instance}"\\n' > ${shellWrapper}.tmp
chmod 755 ${shellWrapper}.tmp && mv ${shellWrapper}.tmp ${shellWrapper}
grep -qx ${shellWrapper} /etc/shells || echo ${shellWrapper} >> /etc/shells
id ${name} >/dev/null 2>&1 || useradd -m -d /var/lib/netops-test/${name} -G frrvty,frr -s ${shellWrapper} ${name}
echo '${name}:${password}' | chpasswd
mkdir -p /run/sshd
`;
  execFileSync('flock', ['/tmp/netops-test-users.lock', 'sh', '-c', script], { stdio: 'pipe' });
}

/** telnetd logging the vtysh user into `frr`: its default login command, given the instance. */
export function telnetd(frr: Frr): [string, string[]] {
  const login = `/usr/bin/env ${instanceVariable}=${frr.vtyDir} /bin/login -p -h %h %?u{-f %u}{%U}`;
  return ['/usr/sbin/telnetd', ['-E', login]];
}

export interface Frr {
  readonly vtyDir: string;
  /**
   * Ends the daemons and removes what they leave: SIGTERM, up to `graceMs` for them to exit, then
   * SIGKILL; then FRR's per-process folders and the vty folder.
   */
  stop(graceMs?: number): Promise<void>;
}

const frrDaemons = ['zebra', 'staticd'] as const satisfies readonly FrrLaunch['role'][];

interface FrrDaemon extends ProcessId {
  /** FRR's folder of this process for its crash log and log buffers, removed by FRR only on a clean exit. */
  readonly tmpDir: string;
}

export async function startFrr(hostname: string): Promise<Frr> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-frr-'));
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'zebra.conf'), `hostname ${hostname}\n`);
  writeFileSync(path.join(dir, 'staticd.conf'), '');
  execFileSync('chown', ['-R', 'frr:frr', dir]);
  const started: FrrDaemon[] = [];
  const stop = async (graceMs = 10_000) => {
    await stopProcesses(started, graceMs);
    const survivors = [];
    for (const daemon of started) if (await isAlive(daemon)) survivors.push(daemon.pid);
    if (survivors.length > 0) throw new Error(`FRR daemons ${survivors.join(', ')} survived SIGKILL`);
    for (const daemon of started) rmSync(daemon.tmpDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const daemon of frrDaemons) started.push(await startFrrDaemon(dir, daemon));
  } catch (error) {
    await stop();
    throw error;
  }
  return { vtyDir: dir, stop };
}

async function startFrrDaemon(dir: string, daemon: (typeof frrDaemons)[number]): Promise<FrrDaemon> {
  const pidFile = path.join(dir, `${daemon}.pid`);
  const launch = spawnSync(
    'unshare',
    [
      '-n',
      `/usr/lib/frr/${daemon}`,
      '-d',
      '-u',
      'frr',
      '-g',
      'frr',
      '-i',
      pidFile,
      '--vty_socket',
      dir,
      '-z',
      path.join(dir, 'zserv.api'),
      '-f',
      path.join(dir, `${daemon}.conf`),
    ],
    { stdio: 'ignore' },
  );
  // The PID FRR (8.4 here) starts with names its /var/tmp/frr folder: the process spawned here, as
  // unshare execs the daemon in place; `-d` then forks, and the PID file has the daemon's new PID.
  const tmpDir = frrTmpDir(daemon, launch.pid);
  const pid = launch.status === 0 ? Number(readFileSync(pidFile, 'utf8')) : undefined;
  const startTime = pid === undefined ? undefined : await startTimeOf(pid);
  if (pid === undefined || startTime === undefined) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`${daemon} did not start: ${launch.error?.message ?? `exit status ${launch.status}`}`);
  }
  return { pid, startTime, tmpDir };
}

export interface InetdPeer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves each connection on `address`:ephemeral with a fresh `command` whose stdin/stdout is the socket. */
export async function inetd(address: string, command: () => [string, string[]]): Promise<InetdPeer> {
  const children = new Set<ChildProcess>();
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    const [file, args] = command();
    const child = spawn(file, args, { stdio: [socket, socket, 'ignore'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    child.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...children].map((child) => stopChild(child)));
      await closed;
    },
  };
}

export interface Sshd {
  readonly dir: string;
  readonly config: string;
  /** Replaces the host key (a re-keyed or replaced device). */
  rekey(): void;
}

/**
 * A host key as `ssh-keygen -t TYPE -b BITS` makes it, and the signature algorithms sshd may use with
 * it (OpenSSH's HostKeyAlgorithms): real devices present RSA keys (IOS: `crypto key generate rsa
 * modulus 1024` or 2048; old releases sign with ssh-rsa, SHA-1), some ECDSA.
 */
export interface SshdHostKey {
  readonly type: 'ed25519' | 'rsa' | 'ecdsa';
  readonly bits?: number;
  readonly algorithms?: string;
}

/**
 * An sshd configuration for `sshd -i`: password, keyboard-interactive and key auth for the vtysh
 * user, logging into `frr`, in a new folder under `parent` (a test's own temp folder, which it
 * removes; sshd reads there as the user, so `parent` must be searchable by others:
 * `useTempDir(prefix, 0o755)`).
 */
export function sshdConfig(
  parent: string,
  frr: Frr,
  options: {
    readonly authorizedKey?: string;
    readonly passwordAuthentication?: boolean;
    readonly hostKey?: SshdHostKey;
    /** OpenSSH's KexAlgorithms: the key exchanges offered (an old device's: `diffie-hellman-group1-sha1`). */
    readonly kexAlgorithms?: string;
  } = {},
): Sshd {
  const { type, bits, algorithms } = options.hostKey ?? { type: 'ed25519' };
  const dir = mkdtempSync(path.join(parent, 'sshd-'));
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the user
  const config = path.join(dir, 'sshd_config');
  const rekey = () => {
    rmSync(path.join(dir, 'host_key'), { force: true });
    rmSync(path.join(dir, 'host_key.pub'), { force: true });
    const size = bits === undefined ? [] : ['-b', String(bits)];
    execFileSync('ssh-keygen', ['-q', '-t', type, ...size, '-N', '', '-f', path.join(dir, 'host_key')]);
  };
  rekey();
  if (options.authorizedKey)
    writeFileSync(path.join(dir, 'authorized_keys'), options.authorizedKey, { mode: 0o644 });
  writeFileSync(
    config,
    [
      `HostKey ${path.join(dir, 'host_key')}`,
      ...(algorithms === undefined ? [] : [`HostKeyAlgorithms ${algorithms}`]),
      ...(options.kexAlgorithms === undefined ? [] : [`KexAlgorithms ${options.kexAlgorithms}`]),
      `SetEnv ${instanceVariable}=${frr.vtyDir}`,
      'PidFile none',
      'UsePAM yes',
      `PasswordAuthentication ${options.passwordAuthentication === false ? 'no' : 'yes'}`,
      'KbdInteractiveAuthentication yes',
      'PubkeyAuthentication yes',
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'StrictModes no',
      `AllowUsers ${vtyshUser.name}`,
      'PrintMotd no',
      'PrintLastLog no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  return { dir, config, rekey };
}

/** An OpenSSH-format ed25519 key pair made by ssh-keygen. */
export function keyPair(): { privateKey: string; publicKey: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-key-'));
  const file = path.join(dir, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const pair = { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

export function frrHost(name: string, address: string, port: number, extra: Partial<Host> = {}): Host {
  return {
    name,
    address,
    port,
    family: undefined,
    platform: 'frr',
    transport: 'ssh',
    console: undefined,
    snmp: undefined,
    credentials: { name: 'lab', username: vtyshUser.name, password: { value: vtyshUser.password } },
    ssh: { legacyAlgorithms: false, trustNewHostKey: true },
    groups: [],
    data: {},
    ...extra,
  };
}
