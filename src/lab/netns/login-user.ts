/**
 * The login user of a real (frr) device, visible only inside that device's namespace: `ip netns
 * exec NS` bind-mounts /etc/netns/NS/passwd and shadow over /etc's, so sshd and login see a user the
 * host does not have. The host's own entries are kept (sshd's privilege separation user, frr).
 *
 * Caveat: a tool that replaces the host's /etc/passwd by rename (useradd, passwd) while the lab runs
 * detaches those mounts for processes started earlier; `netops lab up` again restarts them.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
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

export const etcNetnsDir = (namespace: string): string => path.join('/etc/netns', namespace);

async function sha512Crypt(password: string): Promise<string> {
  // The password goes through stdin, never argv (argv is world-readable in /proc).
  const { stdout } = await run('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` });
  return stdout.trim();
}

/** Writes /etc/netns/NS/{passwd,shadow}: the host's entries plus `user`. */
export async function writeLoginUser(namespace: string, user: LoginUser): Promise<void> {
  const dir = etcNetnsDir(namespace);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const without = (text: string) =>
    text
      .split('\n')
      .filter((line) => line && !line.startsWith(`${user.name}:`))
      .join('\n');
  const [passwd, shadow, hash] = await Promise.all([readFile('/etc/passwd', 'utf8'), readFile('/etc/shadow', 'utf8'), sha512Crypt(user.password)]);
  const days = Math.floor(Date.now() / 86_400_000);
  await writeFile(path.join(dir, 'passwd'), `${without(passwd)}\n${user.name}:x:${user.uid}:${user.gid}:lab device user:${user.home}:${user.shell}\n`, { mode: 0o644 });
  await writeFile(path.join(dir, 'shadow'), `${without(shadow)}\n${user.name}:${hash}:${days}:0:99999:7:::\n`, { mode: 0o640 });
}

export async function removeEtcNetns(dirs: readonly string[]): Promise<void> {
  // Only folders the state file recorded, and only under /etc/netns.
  await Promise.all(dirs.filter((dir) => path.dirname(dir) === '/etc/netns').map((dir) => rm(dir, { recursive: true, force: true })));
}
