/**
 * Logins: checking a user against the configuration's `username` lines (any fault making it fail),
 * and the telnet/console login dialog (device-reference.md §1.1, §4.1).
 */
import { usersOf } from '../device/config-tree.js';
import type { Device } from '../device/device.js';
import { secretMatches } from '../device/secrets.js';
import type { Terminal } from './terminal.js';

/** The privilege level of a valid login, or undefined. */
export function authenticate(device: Device, user: string, password: string): number | undefined {
  if (device.faults.authFailure) return undefined;
  const found = usersOf(device.running).find((u) => u.name === user);
  if (!found || !secretMatches(found.type, found.value, password)) return undefined;
  return found.privilege;
}

/** Username/password prompts; three tries, then the connection is dropped (returns undefined). */
export async function loginDialog(
  device: Device,
  term: Terminal,
): Promise<{ user: string; privilege: number } | undefined> {
  const nxos = device.platform === 'nxos';
  await term.print('\nUser Access Verification\n\n');
  for (let attempt = 0; attempt < 3; attempt++) {
    let user = '';
    // A bare RETURN at the user prompt asks again, as a console line sitting at the prompt does.
    while (user === '') {
      await term.print(nxos ? `${device.hostname} login: ` : 'Username: ');
      user = (await term.readLine()).trim();
    }
    await term.print('Password: ');
    const password = await term.readLine({ echo: false });
    // loginRetry persona: the first try fails whatever was typed (§1.1: three tries per connection).
    const privilege =
      device.faults.loginRetry && attempt === 0 ? undefined : authenticate(device, user, password);
    if (privilege !== undefined) {
      if (nxos)
        await term.print(
          'Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\n',
        );
      return { user, privilege: nxos ? 15 : privilege };
    }
    await term.print(nxos ? 'Login incorrect\n' : '% Login invalid\n\n');
  }
  return undefined;
}
