/**
 * Telnet access to a device: option negotiation as IOS does it, then `Username:`/`Password:` (IOS)
 * or `login:` (NX-OS), then the CLI. Sessions drop when the device reloads.
 */
import type { Socket } from 'node:net';
import type { Device } from '../device/device.js';
import type { Session } from '../cli/context.js';
import { loginDialog } from '../cli/login.js';
import { runCli } from '../cli/session.js';
import { SessionEnded, Terminal } from '../cli/terminal.js';
import { listenForDevice, type DualListener } from './listeners.js';
import type { AccessOptions } from './ssh-server.js';
import { newTelnetState, telnetGreeting, telnetInput, telnetOutput } from './telnet-protocol.js';

/** A terminal over a telnet socket: IAC handled both ways. */
export function telnetTerminal(device: Device, socket: Socket): Terminal {
  const state = newTelnetState();
  const term = new Terminal({
    write: (data) => void (socket.writable && socket.write(telnetOutput(data))),
    close: () => socket.destroy(),
    faults: () => device.faults,
  });
  // Small writes (the chunkBytes persona, keystroke echo) leave at once, as a device's tty sends them.
  socket.setNoDelay(true);
  socket.write(telnetGreeting);
  socket.on('data', (chunk: Buffer) => {
    const data = telnetInput(state, chunk, (reply) => socket.write(reply));
    if (data.length > 0) term.feed(data);
  });
  socket.on('close', () => term.end('connection closed'));
  socket.on('error', () => socket.destroy());
  return term;
}

async function serve(device: Device, socket: Socket): Promise<void> {
  const term = telnetTerminal(device, socket);
  try {
    const login = await loginDialog(device, term);
    if (!login) return;
    const s: Session = {
      device,
      term,
      via: 'telnet',
      user: login.user,
      privilege: login.privilege,
      mode: { kind: 'exec' },
      done: false,
    };
    await runCli(s);
  } catch (error) {
    if (!(error instanceof SessionEnded)) throw error;
  } finally {
    socket.end();
  }
}

export async function startTelnetAccess(device: Device, options: AccessOptions): Promise<DualListener> {
  return listenForDevice(device, options, (socket) => void serve(device, socket));
}
