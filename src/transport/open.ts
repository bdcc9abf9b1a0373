/**
 * Chooses and opens the transport a host is reached over: SSH (which logs in itself), Telnet, or
 * the host's console line through its terminal server. The session above drives whichever it gets.
 */
import type { Host, SecretRef } from '../config/model.js';
import { NetopsError } from '../core/errors.js';
import { openConsole } from './console.js';
import { openSsh } from './ssh.js';
import { openTelnet } from './telnet.js';
import type { Transport, TransportKind } from './transport.js';

export interface TransportRequest {
  readonly host: Host;
  readonly via: TransportKind;
  /** Resolves a SecretRef (SSH password or key); values never reach logs or errors. */
  secret(ref: SecretRef): Promise<string>;
  readonly signal?: AbortSignal | undefined;
  /** TCP connect and SSH handshake. @default 10000 */
  readonly connectMs?: number | undefined;
  /** SSH: from connected to authenticated. @default the SSH transport's */
  readonly loginMs?: number | undefined;
  /** Pin an unknown SSH host key (the job's or `--trust-new-hosts`); the host's own setting also counts. */
  readonly trustNewHostKey?: boolean | undefined;
  readonly knownHostsFile?: string | undefined;
}

export async function openTransport(request: TransportRequest): Promise<Transport> {
  const { host, signal } = request;
  const connectTimeoutMs = request.connectMs ?? 10_000;
  if (request.via === 'console') {
    return openConsole({
      line: consoleLineOf(host),
      host: host.name,
      family: host.family,
      connectTimeoutMs,
      signal,
    });
  }
  const target = { address: host.address, port: host.port, family: host.family, host: host.name };
  if (request.via === 'telnet') return openTelnet({ target, connectTimeoutMs, signal });
  const credentials = requireCredentials(host);
  return openSsh({
    target,
    username: credentials.username,
    password: credentials.password && (await request.secret(credentials.password)),
    privateKey: credentials.privateKey && (await request.secret(credentials.privateKey)),
    legacyAlgorithms: host.ssh.legacyAlgorithms,
    trustNewHostKey: request.trustNewHostKey || host.ssh.trustNewHostKey,
    knownHostsFile: request.knownHostsFile,
    connectTimeoutMs,
    loginTimeoutMs: request.loginMs,
    signal,
  });
}

function consoleLineOf(host: Host): NonNullable<Host['console']> {
  if (host.console) return host.console;
  throw new NetopsError('CONFIG_INVALID', `${host.name} has no console line`, {
    hint: 'Add `console: { host: TERMINAL-SERVER, port: 2000 + line }` to the host.',
    host: host.name,
  });
}

export function requireCredentials(host: Host): NonNullable<Host['credentials']> {
  if (host.credentials) return host.credentials;
  throw new NetopsError('CONFIG_INVALID', `${host.name} has no credentials`, {
    hint: "Give the host (or one of its groups) `credentials: NAME` from the inventory's credentials section.",
    host: host.name,
  });
}
