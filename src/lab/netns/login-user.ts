/**
 * The login user of a real (frr) device, visible only to that device's sshd and login: they run in
 * a private mount namespace where an overlay puts the device's own passwd and shadow over the host's
 * /etc (everything else shows through). The host's entries are kept (sshd's privilege separation
 * user, frr). An overlay rather than bind mounts of the two files: a host tool that replaces
 * /etc/passwd by rename (useradd, chpasswd) would silently detach file bind mounts. The overlay has
 * two lower layers and no upper one, so it is read-only and needs no work folder: the device's sshd
 * and telnetd mount it at the same time, and two mounts sharing one work folder raced (ENOENT).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './command.js';

export interface LoginUser {
  readonly name: string;
  readonly password: string;
  readonly uid: number;
  /** frrvty, so vtysh may open the daemons' sockets. */
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

const deviceEtc = (dir: string) => path.join(dir, 'etc');

export async function sha512Crypt(password: string): Promise<string> {
  // The password goes through stdin, never argv (argv is world-readable in /proc).
  const { stdout } = await run('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` });
  return stdout.trim();
}

/** Writes DIR/etc/{passwd,shadow}: the host's entries plus `user`. */
export async function writeLoginUser(dir: string, user: LoginUser): Promise<void> {
  const upper = deviceEtc(dir);
  await mkdir(upper, { recursive: true, mode: 0o755 });
  const without = (text: string) =>
    text
      .split('\n')
      .filter((line) => line && !line.startsWith(`${user.name}:`))
      .join('\n');
  const [passwd, shadow, hash] = await Promise.all([
    readFile('/etc/passwd', 'utf8'),
    readFile('/etc/shadow', 'utf8'),
    sha512Crypt(user.password),
  ]);
  const days = Math.floor(Date.now() / 86_400_000);
  await writeFile(
    path.join(upper, 'passwd'),
    `${without(passwd)}\n${user.name}:x:${user.uid}:${user.gid}:lab device user:${user.home}:${user.shell}\n`,
    { mode: 0o644 },
  );
  await writeFile(
    path.join(upper, 'shadow'),
    `${without(shadow)}\n${user.name}:${hash}:${days}:0:99999:7:::\n`,
    { mode: 0o640 },
  );
}

/** `argv` run in a private mount namespace whose /etc shows the device's passwd and shadow. */
export function withDeviceEtc(dir: string, argv: readonly string[]): string[] {
  // The leftmost lower layer is on top: the device's passwd and shadow hide the host's.
  const options = `lowerdir=${deviceEtc(dir)}:/etc`;
  // `exec` keeps the PID: ip netns exec -> unshare -> sh -> the daemon are one process.
  return [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    `mount -t overlay netops-lab -o ${options} /etc && exec "$@"`,
    'sh',
    ...argv,
  ];
}
