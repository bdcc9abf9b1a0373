/**
 * A deliberately misbehaving device on loopback for fault tests: a plain TCP CLI (valid Telnet with
 * no options) with a login, the prompt `fake#`, and commands that hang, drop the connection
 * mid-output, page forever, change the prompt, or ask questions.
 */
import net from 'node:net';
import type { Host } from '../../src/config/model.js';

export interface FakeDevice {
  readonly port: number;
  close(): Promise<void>;
}

const replies: Record<string, (socket: net.Socket) => void> = {
  'terminal length 0': (s) => s.write('\r\nfake#'),
  'terminal width 511': (s) => s.write('\r\nfake#'),
  'show ok': (s) => s.write('\r\nall good\r\nfake#'),
  'show hang': (s) => s.write('\r\nstarting...\r\n'),
  'show close': (s) => {
    s.write('\r\nline 1\r\nline 2\r\n');
    s.destroy();
  },
  'show paging': (s) => {
    s.write('\r\nscreen\r\n --More-- ');
    s.on('data', () => s.write('\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bscreen\r\n --More-- '));
  },
  'show prompt-change': (s) => s.write('\r\noutput\r\nother-box$ '),
  'show ansi': (s) =>
    s.write(
      '\r\n\x1b[1mbold\x1b[0m line\r\nsecond --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b\r\r\nlast\r\n\rfake#',
    ),
  'copy running-config startup-config': (s) => s.write('\r\nDestination filename [startup-config]? '),
  'write erase': (s) =>
    s.write('\r\nErasing the nvram filesystem will remove all configuration files! Continue? [confirm]'),
};

export async function fakeDevice(address = '127.0.0.1'): Promise<FakeDevice> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let state: 'user' | 'password' | 'cli' | 'answer' = 'user';
    let line = '';
    socket.write('\r\nUser Access Verification\r\n\r\nlogin: ');
    socket.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('latin1')) {
        if (ch !== '\r' && ch !== '\n') {
          line += ch;
          if (state === 'cli') socket.write(ch); // echo
          continue;
        }
        if (ch === '\n') continue;
        const input = line;
        line = '';
        if (state === 'user') {
          socket.write(`${input}\r\nPassword: `);
          state = 'password';
        } else if (state === 'password') {
          if (input !== 'secret') {
            socket.write('\r\nLogin incorrect\r\nlogin: ');
            state = 'user';
          } else {
            socket.write('\r\n\r\nfake#');
            state = 'cli';
          }
        } else if (state === 'answer') {
          socket.write('\r\n[OK]\r\nfake#');
          state = 'cli';
        } else {
          const reply = replies[input.trim()];
          if (input.trim() === '') socket.write('\r\nfake#');
          else if (reply) {
            reply(socket);
            if (input.startsWith('copy') || input.startsWith('write')) state = 'answer';
          } else socket.write(`\r\n% Invalid command at '^' marker.\r\nfake#`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The inventory host of a fake device on `port` (an NX-OS-like Telnet login as admin). */
export function fakeDeviceHost(port: number, password = 'secret'): Host {
  return {
    name: 'fake1',
    address: '127.0.0.1',
    port,
    family: undefined,
    platform: 'nxos',
    transport: 'telnet',
    console: undefined,
    snmp: undefined,
    credentials: { name: 'lab', username: 'admin', password: { value: password } },
    ssh: { legacyAlgorithms: false, trustNewHostKey: false },
    groups: [],
    data: {},
  };
}
