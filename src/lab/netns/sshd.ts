/**
 * OpenSSH's sshd as a device's SSH server: its own host key and config in the device folder,
 * listening on the device's addresses on port 22, password login for the device user only, in the
 * foreground (`-D`) so the recorded PID is the daemon's.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './command.js';

export const sshdBin = '/usr/sbin/sshd';

export interface SshdOptions {
  readonly dir: string;
  readonly addresses: readonly string[];
  readonly username: string;
}

const listen = (address: string) => `ListenAddress ${address.includes(':') ? `[${address}]` : address}:22`;

/** Writes the host key (kept across restarts) and sshd_config; returns the argv to start sshd. */
export async function prepareSshd(options: SshdOptions): Promise<string[]> {
  const key = path.join(options.dir, 'ssh_host_ed25519_key');
  const exists = await access(key).then(
    () => true,
    () => false,
  );
  if (!exists)
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', path.basename(options.dir), '-f', key]);
  // sshd refuses to start without its privilege separation folder (systemd creates it on boot).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const config = path.join(options.dir, 'sshd_config');
  const lines = [
    ...options.addresses.map(listen),
    `HostKey ${key}`,
    `PidFile ${path.join(options.dir, 'sshd.pid')}`,
    // Passwords are checked against the namespace's own shadow file (login-user.ts), without PAM.
    'UsePAM no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    `AllowUsers ${options.username}`,
    // The device folder belongs to root and the login user's home is inside it.
    'StrictModes no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
  ];
  await writeFile(config, `${lines.join('\n')}\n`, { mode: 0o600 });
  return [sshdBin, '-D', '-e', '-f', config];
}
