/**
 * Telnet into a real device: inetutils' inetd (foreground, `-d`) starts inetutils telnetd per
 * connection, which runs login(1): the device user's password, then its login shell (vtysh).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const inetdBin = '/usr/sbin/inetutils-inetd';
export const telnetdBin = '/usr/sbin/telnetd';

/** Writes inetd.conf for port 23 of every address in the namespace; returns the argv of inetd. */
export async function prepareTelnetd(dir: string): Promise<string[]> {
  const conf = path.join(dir, 'inetd.conf');
  // The namespace holds only this device's addresses, so the wildcard is the device's own; one
  // dual-stack tcp6 socket serves IPv4 too (a second, IPv4 one would collide with it).
  await writeFile(conf, `telnet stream tcp6 nowait root ${telnetdBin} telnetd\n`, { mode: 0o600 });
  // Its own PID file: the default /run/inetd.pid is shared by every inetd on the host.
  return [inetdBin, '-d', `--pidfile=${path.join(dir, 'inetd.pid')}`, conf];
}
