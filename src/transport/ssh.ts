/**
 * SSH transport on ssh2: a pty shell over a TCP socket netops opens itself (so IPv4/IPv6 choice and
 * socket errors are ours). Password, keyboard-interactive and key auth; host keys pinned in the
 * known-hosts store; old algorithms only when the host asks for them; keepalives.
 */
import type { Socket } from 'node:net';
import type { AuthenticationType, Client, ClientChannel, ConnectConfig } from 'ssh2';
import { NetopsError } from '../core/errors.js';
import { once } from '../core/once.js';
import { connectTarget, hostOf, splitHostPort } from './connect.js';
import { defaultKnownHostsFile, verifyHostKey } from './known-hosts.js';
import { StreamListeners, closedByNetops } from './listeners.js';
import { requireSsh2 } from './ssh2-module.js';
import type { Transport, TransportTarget } from './transport.js';

export interface SshTransportOptions {
  readonly target: TransportTarget;
  readonly username: string;
  readonly password?: string | undefined;
  /** OpenSSH-format private key text. */
  readonly privateKey?: string | undefined;
  readonly passphrase?: string | undefined;
  /** Offer the KEX, ciphers, MACs and host-key types old IOS needs, after the modern ones. @default false */
  readonly legacyAlgorithms?: boolean | undefined;
  /** Pin an unknown host key instead of refusing it. @default false */
  readonly trustNewHostKey?: boolean | undefined;
  /** @default `<state dir>/known-hosts` */
  readonly knownHostsFile?: string | undefined;
  /** TCP connect. @default 10000 */
  readonly connectTimeoutMs?: number | undefined;
  /** SSH handshake plus authentication (slow AAA servers and PAM fail delays count here). @default 30000 */
  readonly loginTimeoutMs?: number | undefined;
  /** @default 15000 (0 disables) */
  readonly keepaliveMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Appended (never substituted): a device that speaks modern algorithms still gets them. */
const legacy = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', 'aes256-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa', 'ssh-dss'],
  hmac: ['hmac-sha1'],
} as const;

type Algorithms = NonNullable<ConnectConfig['algorithms']>;
type KexList = Extract<NonNullable<Algorithms['kex']>, { remove: unknown }>;

/**
 * ssh2's key exchanges in its own order, with three moved; the same ones are offered, so every
 * server that could connect still can.
 * - ecdh-sha2-nistp256 ahead of curve25519: one that has both (OpenSSH, the lab) now agrees on
 *   P-256. The same security level (RFC 5656; FIPS-approved), and about 0.4 ms less client CPU per
 *   login: ssh2's curve25519 goes through key objects (a key pair, its DER export, the peer's key
 *   parsed from DER built with asn1), its P-256 through one ECDH object and raw points.
 * - diffie-hellman-group-exchange-sha256 last of the modern ones, after the fixed groups: its prime
 *   is the server's own, which Node checks with OpenSSL's DH_check at each login (0.43 s of CPU for
 *   a 2048-bit prime of OpenSSH's moduli, 2.5-2.8 s for the 3072-bit one ssh2 asks with AES-128),
 *   and ssh2 never reads the check's result. A fixed group is one OpenSSL names and does not check.
 *   A server configured without ECDH (some appliances) agreed on group exchange before.
 * - diffie-hellman-group14-sha256 (2048 bits, about 112-bit strength) after the fixed groups of 3072
 *   bits and more (group15 to group18): a server that offered group exchange and one of those keeps
 *   the 128-bit strength its 3072-bit prime gave (OpenSSH: group16-sha512, 4096 bits).
 * ssh2 applies the keys in this object's order and skips a prepend or an append of an algorithm it
 * already lists: `remove` comes first.
 */
function keyExchanges(appended: readonly string[]): KexList {
  return {
    remove: ['ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group-exchange-sha256'],
    prepend: ['ecdh-sha2-nistp256'],
    append: ['diffie-hellman-group14-sha256', 'diffie-hellman-group-exchange-sha256', ...appended],
  } as KexList;
}

/** Built once: ssh2 only reads them (its own default lists are copied before a change). */
const modernAlgorithms: Algorithms = { kex: keyExchanges([]) };
const legacyAlgorithms: Algorithms = (() => {
  const append = <T>(list: readonly T[]) => ({ append: [...list], prepend: [] as T[], remove: [] as T[] });
  return {
    kex: keyExchanges(legacy.kex),
    cipher: append(legacy.cipher),
    serverHostKey: append(legacy.serverHostKey),
    hmac: append(legacy.hmac),
  } as Algorithms;
})();

/**
 * Loaded on the first SSH login, not at start-up: ssh2 is the largest package netops loads, and
 * `--plan`, telnet-only and SNMP-only runs never need it. Its packets' padding comes from a pool of
 * random bytes (ssh2-module.ts).
 */
const loadSsh2 = once(async () => requireSsh2());

export async function openSsh(options: SshTransportOptions): Promise<Transport> {
  const { target } = options;
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const { socket, peer } = await connectTarget(target, 22, { timeoutMs, signal: options.signal });
  const split = splitHostPort(target.address);
  const port = target.port ?? split.port ?? 22;
  const hostKeyCheck = {
    file: options.knownHostsFile ?? defaultKnownHostsFile(),
    // OpenSSH's form: `[host]:port` unless the port is 22, so IPv6 colons stay unambiguous.
    id: port === 22 ? split.address : `[${split.address}]:${port}`,
    trustNew: options.trustNewHostKey ?? false,
    host: target.host,
  };
  const ssh2 = await loadSsh2();
  const client = new ssh2.Client();
  let refusal: NetopsError | undefined;
  let handshakeDone = false;
  client.once('handshake', () => (handshakeDone = true));
  const ready = new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      refusal = new NetopsError('ABORTED', `SSH login to ${peer} was abandoned`, {
        hint: 'The step was stopped.',
      });
      client.end();
      socket.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const onClose = () => reject(refusal ?? closedDuringLogin(peer, target));
    client.once('ready', () => {
      options.signal?.removeEventListener('abort', onAbort);
      // Logged in: the session's own close is SshTransport's hang-up, not a failed login (whose
      // error, a stack trace, was built at the end of every session for a settled promise).
      client.removeListener('close', onClose);
      resolve();
    });
    // `on`, not `once`: ssh2 may report a second error while tearing down a failed login.
    client.on('error', (error: Error & { level?: string }) => {
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(refusal ?? sshError(error, peer, options, handshakeDone));
    });
    client.once('close', onClose);
  });
  client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
    finish(prompts.map(() => options.password ?? '')),
  );
  client.connect(
    connectConfig(options, socket, (key: Buffer, verify: (valid: boolean) => void) => {
      verifyHostKey(hostKeyCheck, key).then(
        () => verify(true),
        (error: unknown) => {
          refusal = error as NetopsError;
          verify(false);
        },
      );
    }),
  );
  await ready;
  const shell = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100', cols: 511, rows: 24 }, (error, channel) =>
      error ? reject(closedDuringLogin(peer, target, error.message)) : resolve(channel),
    ),
  );
  return new SshTransport(client, shell, peer, target);
}

class SshTransport implements Transport {
  readonly kind = 'ssh';
  readonly newline = '\n';
  readonly peer: string;
  readonly #client: Client;
  readonly #shell: ClientChannel;
  readonly #events = new StreamListeners();

  constructor(client: Client, shell: ClientChannel, peer: string, target: TransportTarget) {
    this.#client = client;
    this.#shell = shell;
    this.peer = peer;
    const data = (chunk: Buffer) => this.#events.emitData(chunk);
    shell.on('data', data);
    shell.stderr.on('data', data);
    // Three events report one hang-up: only the first builds its error (a stack trace each).
    const hungUp = () => {
      if (this.#events.closed) return;
      this.#events.emitClose(
        new NetopsError('CLOSED_BY_PEER', `${peer} closed the SSH session`, {
          hint: 'The device ended the session: check its logs, VTY limits and idle timeouts.',
          transient: true,
          ...hostOf(target),
        }),
      );
    };
    shell.on('close', hungUp);
    client.on('close', hungUp);
    client.on('error', hungUp);
  }

  get closed(): NetopsError | undefined {
    return this.#events.closed;
  }

  write(data: string | Uint8Array): void {
    this.#shell.write(data);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.#events.onData(listener);
  }

  onClose(listener: (reason: NetopsError) => void): () => void {
    return this.#events.onClose(listener);
  }

  isAlive(): boolean {
    return this.#events.closed === undefined;
  }

  /** SSH has a break request (RFC 4335) but devices behind a pty ignore it: nothing to send. */
  sendBreak(): void {}

  async close(): Promise<void> {
    this.#events.emitClose(closedByNetops(`SSH session to ${this.peer}`));
    this.#client.end();
  }
}

/** ssh2's settings for one login; the optional ones assigned, not spread (a spread per field costs some 3 us). */
function connectConfig(
  options: SshTransportOptions,
  socket: Socket,
  hostVerifier: NonNullable<ConnectConfig['hostVerifier']>,
): ConnectConfig {
  const config: ConnectConfig = {
    sock: socket,
    username: options.username,
    tryKeyboard: options.password !== undefined,
    authHandler: authMethods(options),
    readyTimeout: options.loginTimeoutMs ?? 30_000,
    keepaliveInterval: options.keepaliveMs ?? 15_000,
    keepaliveCountMax: 3,
    hostVerifier,
    algorithms: options.legacyAlgorithms ? legacyAlgorithms : modernAlgorithms,
  };
  if (options.password !== undefined) config.password = options.password;
  if (options.privateKey !== undefined) config.privateKey = options.privateKey;
  if (options.passphrase !== undefined) config.passphrase = options.passphrase;
  return config;
}

/**
 * The methods tried, in ssh2's own order, without its opening `none` request: that probe only asks
 * the server which methods it takes (RFC 4252 §5.2 lets a client start with any), and costs every
 * login a round trip and two packets. With no password or key, `none` is all there is to try.
 */
function authMethods(options: SshTransportOptions): AuthenticationType[] {
  const methods: AuthenticationType[] = [];
  if (options.password !== undefined) methods.push('password');
  if (options.privateKey !== undefined) methods.push('publickey');
  if (options.password !== undefined) methods.push('keyboard-interactive');
  return methods.length > 0 ? methods : ['none'];
}

function closedDuringLogin(peer: string, target: TransportTarget, why?: string): NetopsError {
  return new NetopsError(
    'CLOSED_BY_PEER',
    `${peer} closed the connection during SSH login${why ? ` (${why})` : ''}`,
    {
      hint: 'The device dropped the session before a shell opened: check its SSH settings, VTY limits and access lists.',
      transient: true,
      ...hostOf(target),
    },
  );
}

function sshError(
  error: Error & { level?: string },
  peer: string,
  options: SshTransportOptions,
  handshakeDone: boolean,
): NetopsError {
  const host = hostOf(options.target);
  if (error.level === 'client-authentication') {
    return new NetopsError('AUTH_FAILED', `${peer} refused the login of user "${options.username}"`, {
      hint: "Check the username and the password or key of this host's credentials (and the device's AAA).",
      ...host,
      cause: error,
    });
  }
  if (error.level === 'client-timeout') {
    const seconds = (options.loginTimeoutMs ?? 30_000) / 1000;
    return new NetopsError(
      'CONNECT_TIMEOUT',
      handshakeDone
        ? `${peer} did not finish authenticating "${options.username}" within ${seconds}s`
        : `${peer} accepted TCP but did not complete the SSH handshake within ${seconds}s`,
      {
        hint: handshakeDone
          ? 'The device waits on its AAA server (TACACS+/RADIUS) or is overloaded: check it, or raise the login timeout.'
          : 'The SSH service is stuck or overloaded (or this is not an SSH port): check the device and its VTY lines.',
        transient: true,
        ...host,
        cause: error,
      },
    );
  }
  if (/no matching/i.test(error.message)) {
    return new NetopsError('SSH_NO_COMMON_ALGORITHM', `${peer}: ${error.message}`, {
      hint: options.legacyAlgorithms
        ? "Even the legacy algorithms did not match: update the device's SSH server or use telnet."
        : 'Old devices need old algorithms: set `ssh: { legacyAlgorithms: true }` for this host or its group.',
      ...host,
      cause: error,
    });
  }
  return new NetopsError('CLOSED_BY_PEER', `SSH to ${peer} failed: ${error.message}`, {
    hint: 'The SSH session broke during login: check the device and the path to it.',
    transient: true,
    ...host,
    cause: error,
  });
}
