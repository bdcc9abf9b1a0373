/**
 * The console of each device behind a reverse-telnet terminal server (device-reference.md §5): one TCP
 * port per line, one user at a time, nothing printed on connect. The line lives with the device: it
 * sees the reload and boot log and the first-boot dialogs, and is the only way in without a config.
 */
import type { Socket } from 'node:net';
import type { Device } from '../device/device.js';
import type { Session } from '../cli/context.js';
import { loginDialog } from '../cli/login.js';
import { runCli } from '../cli/session.js';
import { SessionEnded, Terminal } from '../cli/terminal.js';
import { hasUsers } from '../device/config-tree.js';
import { bootLog, iosSetupDialog, nxosSetupDialog } from './dialogs.js';
import { listenDual, type DualListener } from './listeners.js';
import type { AccessOptions } from './ssh-server.js';
import { newTelnetState, telnetGreeting, telnetInput, telnetOutput } from './telnet-protocol.js';

export class ConsoleLine {
  readonly device: Device;
  readonly term: Terminal;
  #socket: Socket | undefined;
  #stopped = false;
  #rebooting = false;

  constructor(device: Device) {
    this.device = device;
    this.term = new Terminal({
      write: (data) => {
        if (this.#socket?.writable) this.#socket.write(telnetOutput(data));
      },
      close: () => this.#socket?.destroy(),
      faults: () => ({}),
    });
    device.on('reload', () => {
      this.#rebooting = true;
      this.term.end('reload');
    });
    void this.#run();
  }

  /** Attaches a client; a second one while the line is busy is turned away. */
  attach(socket: Socket): void {
    if (this.#socket && !this.#socket.destroyed) {
      socket.end('% Connection refused by remote host\r\n');
      socket.resume(); // read to the client's end, so the socket closes and a lab shutdown is not held up
      return;
    }
    this.#socket = socket;
    const state = newTelnetState();
    socket.write(telnetGreeting);
    socket.on('data', (chunk: Buffer) => {
      const data = telnetInput(state, chunk, (reply) => socket.write(reply));
      if (data.length > 0) this.term.feed(data);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
    });
  }

  stop(): void {
    this.#stopped = true;
    this.term.end('stopped');
    this.#socket?.destroy();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (this.#rebooting) {
          this.#rebooting = false;
          this.term.restart();
          const id =
            this.device.platform === 'ios'
              ? '%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.'
              : 'switch %$ VDC-1 %$ %PLATFORM-2-PFM_SYSTEM_RESET: Manual system restart from Command Line Interface';
          await this.term.print(`\n*${new Date().toUTCString().slice(5, 25)}: ${id}\n`);
          await bootLog(this.device, this.term);
          if (this.device.startup === undefined) {
            if (this.device.platform === 'ios') await iosSetupDialog(this.term);
            else await nxosSetupDialog(this.device, this.term);
          } else if (this.device.platform === 'ios') {
            await this.term.print('\nPress RETURN to get started!\n\n');
          }
        }
        await this.#session();
      } catch (error) {
        if (!(error instanceof SessionEnded)) throw error;
        if (!this.#rebooting && !this.#stopped) this.term.restart();
      }
    }
  }

  /** One console session: wait for RETURN, log in when users exist, then the CLI until exit. */
  async #session(): Promise<void> {
    const d = this.device;
    if (d.platform === 'ios') await this.term.readLine();
    let user = 'console';
    let privilege = d.platform === 'nxos' ? 15 : 1;
    if (hasUsers(d.running)) {
      const login = await loginDialog(d, this.term);
      if (!login) return;
      ({ user, privilege } = login);
    }
    const s: Session = {
      device: d,
      term: this.term,
      via: 'console',
      user,
      privilege,
      mode: { kind: 'exec' },
      done: false,
    };
    await runCli(s);
    if (d.platform === 'ios')
      await this.term.print(`\n${d.hostname} con0 is now available\n\n\n\nPress RETURN to get started.\n\n`);
  }
}

export async function startConsoleAccess(line: ConsoleLine, options: AccessOptions): Promise<DualListener> {
  return listenDual(options.hosts, options.port, (socket) => line.attach(socket));
}
