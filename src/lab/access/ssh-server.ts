/**
 * SSH access to a device (ssh2 `Server`): password and keyboard-interactive authentication against the
 * device's `username` lines, shell channels with a pty (the CLI) and exec channels (one command, no
 * prompt). Sessions drop when the device reloads; while it boots or has no users, connections close.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import ssh2 from 'ssh2';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { Connection, ParsedKey, ServerChannel } from 'ssh2';
import type { Device } from '../device/device.js';
import type { Session } from '../cli/context.js';
import { authenticate } from '../cli/login.js';
import { runCli, runExec } from '../cli/session.js';
import { SessionEnded, Terminal } from '../cli/terminal.js';
import { listenForDevice, type DualListener } from './listeners.js';

export interface AccessOptions {
  readonly hosts: readonly string[];
  /** 0 for an ephemeral port (the same on every host). */
  readonly port: number;
}

export function channelTerminal(device: Device, channel: ServerChannel, end: () => void): Terminal {
  const term = new Terminal({
    write: (data) => void channel.write(data),
    close: end,
    faults: () => device.faults,
  });
  channel.on('data', (data: Buffer) => term.feed(data));
  channel.on('close', () => term.end('channel closed'));
  return term;
}

/**
 * Drops the connection once what was written has gone out (a write callback runs after the flush),
 * and says so: a dropped session must not also end cleanly with an exit status.
 */
function dropper(channel: ServerChannel, client: Connection): { drop: () => void; dropped: () => boolean } {
  let dropped = false;
  return {
    drop: () => {
      dropped = true;
      channel.write(Buffer.alloc(0), () => client.end());
    },
    dropped: () => dropped,
  };
}

function endCleanly(channel: ServerChannel, drop: { dropped: () => boolean }): void {
  if (drop.dropped()) return;
  channel.exit(0);
  channel.end();
}

function serveClient(device: Device, client: Connection): void {
  let user = '';
  let privilege = 1;
  client.on('authentication', (ctx) => {
    const check = (password: string) => {
      const level = authenticate(device, ctx.username, password);
      if (level === undefined) return ctx.reject(['password', 'keyboard-interactive']);
      user = ctx.username;
      privilege = level;
      ctx.accept();
    };
    if (ctx.method === 'password') return check(ctx.password);
    if (ctx.method === 'keyboard-interactive') {
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => check(answers[0] ?? ''));
    }
    ctx.reject(['password', 'keyboard-interactive']);
  });
  client.on('ready', () => {
    client.on('session', (accept) => {
      const session = accept();
      session.on('pty', (ok) => ok?.());
      session.on('window-change', (ok) => ok?.());
      session.on('env', (ok) => ok?.());
      session.on('shell', (ok) => {
        const channel = ok();
        const drop = dropper(channel, client);
        const term = channelTerminal(device, channel, drop.drop);
        const s: Session = { device, term, via: 'ssh', user, privilege, mode: { kind: 'exec' }, done: false };
        void runCli(s)
          .catch((error: unknown) => {
            if (!(error instanceof SessionEnded)) throw error;
          })
          // Closing the channel is enough: the client disconnects once its last channel is gone,
          // after it has shown everything the channel carried.
          .finally(() => endCleanly(channel, drop));
      });
      session.on('exec', (ok, _reject, info) => {
        const channel = ok();
        const drop = dropper(channel, client);
        const term = channelTerminal(device, channel, drop.drop);
        term.paging = false;
        const s: Session = {
          device,
          term,
          via: 'ssh-exec',
          user,
          privilege,
          mode: { kind: 'exec' },
          done: false,
        };
        void runExec(s, info.command)
          .catch((error: unknown) => {
            if (!(error instanceof SessionEnded)) throw error;
          })
          .finally(() => endCleanly(channel, drop));
      });
    });
  });
  client.on('error', () => client.end());
}

export interface SshAccess extends DualListener {
  readonly hostKey: string;
}

export async function startSshAccess(
  device: Device,
  hostKey: string,
  options: AccessOptions,
): Promise<SshAccess> {
  const server = new ssh2.Server(
    { hostKeys: [{ key: signingHostKey(hostKey) }], ident: 'SSH-2.0-Cisco-1.25' },
    (client) => serveClient(device, client),
  );
  const listener = await listenForDevice(device, options, (socket) =>
    server.injectSocket(writesPerTick(socket)),
  );
  return { ...listener, hostKey };
}

/**
 * ssh2 writes every SSH packet to the socket on its own (a key exchange reply and NEWKEYS, a
 * channel's exit status, EOF and close, an output split into packets): the packets written in one
 * tick leave in one system call instead. The bytes and their order are the same; only how TCP
 * carries them changes.
 */
function writesPerTick(socket: Socket): Socket {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as Socket['write'];
  return socket;
}

/**
 * The host key as ssh2 parses it, an ed25519 key signing with a key object made once: ssh2 signs
 * with the key's PEM text, which OpenSSL parses again at every login (about 1.3 of the 1.5 ms a
 * login's signature cost the lab). Ed25519 signatures are deterministic: the bytes are the same.
 */
export function signingHostKey(pem: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(pem);
  if (parsed instanceof Error) throw new Error(`cannot parse the lab's host key: ${parsed.message}`);
  if (parsed.type !== 'ssh-ed25519') return parsed;
  const key = createPrivateKey(parsed.getPrivatePEM());
  parsed.sign = (data) => {
    try {
      return sign(null, typeof data === 'string' ? Buffer.from(data) : data, key);
    } catch (error) {
      // What ssh2's own sign does (its typings say Buffer): the key exchange checks for an Error.
      return error as Buffer;
    }
  };
  return parsed;
}

/**
 * A new OpenSSH-format ed25519 host key (ssh2 rejects PKCS#8 PEM). ssh2 1.17 drops a leading zero
 * byte of the public key in about 1 key of 256 and then cannot parse its own output: draw again.
 */
export function newHostKey(): string {
  for (;;) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return key;
  }
}

/** The host key kept in `file` (created on first use), so clients that pinned it keep trusting it. */
export async function persistentHostKey(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    const key = newHostKey();
    await writeFileAtomic(file, key, { mode: 0o600 });
    return key;
  }
}
