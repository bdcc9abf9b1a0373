/**
 * How netops reaches Redis: `redis://[user@]host:port[/db]` or `rediss://` (TLS, with a client
 * certificate when the server asks for one), the password from NETOPS_QUEUE_PASSWORD or a file (never
 * in the URL, so never in argv, logs or records), and a probe that fails with QUEUE_UNREACHABLE naming
 * the server, and what to do, before anything else happens.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RedisOptions } from 'bullmq';
import { NetopsError } from '../core/errors.js';
import { QUEUE_PREFIX } from './names.js';
import { commands } from './redis-commands.js';
import { checkTls, type TlsTarget } from './tls-check.js';

export interface QueueAccess {
  /** redis:// or rediss:// URL, without a password. */
  readonly url: string;
  /** A file holding the Redis password (first line). @default NETOPS_QUEUE_PASSWORD, else none */
  readonly passwordFile?: string | undefined;
  /** PEM CA bundle for a rediss:// server signed by a private CA. @default the system's CAs */
  readonly caFile?: string | undefined;
  /**
   * PEM client certificate and its key, for a rediss:// server that asks for one (redis-server's
   * `tls-auth-clients yes`, its default once TLS is on). @default none
   */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

/** ioredis options for `access`; `where` (host:port) names the server in errors. */
export async function redisOptions(
  access: QueueAccess,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ options: RedisOptions; where: string }> {
  const url = parseQueueUrl(access.url);
  const port = url.port === '' ? 6379 : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const password = access.passwordFile
    ? (await readSecretFile(access.passwordFile)).split('\n')[0]
    : env['NETOPS_QUEUE_PASSWORD'];
  const tls = url.protocol === 'rediss:' ? await tlsOptions(access) : refuseTlsFiles(access);
  return {
    where: `${url.hostname}:${port}`,
    options: {
      host,
      port,
      db,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(password ? { password } : {}),
      ...(tls ? { tls } : {}),
      // BullMQ's blocking commands must wait as long as they need.
      maxRetriesPerRequest: null,
      connectTimeout: 5_000,
    },
  };
}

function parseQueueUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(text, 'it is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw badUrl(text, 'expected redis:// or rediss://');
  if (url.password !== '') {
    throw new NetopsError('CONFIG_INVALID', 'the queue URL holds a password', {
      hint: 'Remove it from the URL (it would show in process lists and logs); set NETOPS_QUEUE_PASSWORD or pass --queue-password-file FILE.',
    });
  }
  if (url.pathname.length > 1 && !/^\/\d+$/.test(url.pathname))
    throw badUrl(text, 'the path must be a database number');
  return url;
}

/**
 * The CA and client certificate files of a rediss:// URL. No servername: Node checks the server's
 * certificate against the URL's host and sends that host as SNI only when it is a name (an IP address
 * there is refused by RFC 6066 and warned about on every connection).
 */
async function tlsOptions(access: QueueAccess): Promise<TlsOptions> {
  if ((access.certFile === undefined) !== (access.keyFile === undefined)) {
    throw new NetopsError('CONFIG_INVALID', 'a client certificate needs its key, and a key its certificate', {
      hint: 'Pass both --queue-cert FILE and --queue-key FILE (PEM), or neither.',
    });
  }
  const pem = async (file: string | undefined) => (file ? await readSecretFile(file) : undefined);
  const [ca, cert, key] = await Promise.all([pem(access.caFile), pem(access.certFile), pem(access.keyFile)]);
  return { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
}

/** TLS files with a redis:// URL: the user expects TLS, and the password would go in clear text. */
function refuseTlsFiles(access: QueueAccess): undefined {
  const given = [access.caFile, access.certFile, access.keyFile].filter((file) => file !== undefined);
  if (given.length > 0) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `TLS files (${given.join(', ')}) given for a redis:// URL, which does not use TLS`,
      {
        hint: 'Use rediss://HOST:PORT for a Redis server that speaks TLS, or leave out --queue-ca/--queue-cert/--queue-key.',
      },
    );
  }
  return undefined;
}

function badUrl(text: string, why: string): NetopsError {
  return new NetopsError('CONFIG_INVALID', `bad queue URL "${text}": ${why}`, {
    hint: 'Give the Redis server as redis://HOST:PORT (or rediss://HOST:PORT for TLS, redis://USER@HOST:PORT/DB).',
  });
}

async function readSecretFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new NetopsError('CONFIG_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`, {
      hint: 'Check the path and that this user may read it.',
    });
  }
}

/**
 * Connects once, without retrying, and answers PING; QUEUE_UNREACHABLE when it cannot. Over TLS the
 * handshake and the server's first answer are checked first on a socket of our own (tls-check.ts).
 */
export async function probeRedis(options: RedisOptions, where: string): Promise<void> {
  const { Queue } = await import('bullmq');
  let probe: InstanceType<typeof Queue> | undefined;
  try {
    if (options.tls) await checkTls(tlsTarget(options, options.tls));
    probe = new Queue('probe', {
      prefix: QUEUE_PREFIX,
      connection: { ...options, retryStrategy: () => null },
    });
    // The failure is reported by the awaited client; the event would otherwise print it again.
    probe.on('error', () => undefined);
    await commands(await probe.client).ping();
  } catch (error) {
    const { why, hint } = explainFailure(error as NodeJS.ErrnoException, options.tls !== undefined);
    throw new NetopsError('QUEUE_UNREACHABLE', `cannot reach the queue's Redis at ${where}: ${why}`, {
      hint: `${hint}; nothing was sent to any device.`,
      transient: true,
    });
  } finally {
    await probe?.close().catch(() => undefined);
  }
}

/** Where ioredis would connect, and how long it would wait. */
function tlsTarget(options: RedisOptions, tls: TlsOptions): TlsTarget {
  return {
    host: options.host ?? 'localhost',
    port: options.port ?? 6379,
    tls,
    timeoutMs: options.connectTimeout ?? 10_000,
  };
}

/** Node's codes for a server certificate that no trusted CA signed. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/**
 * What ends a TLS connection whose client certificate the server refused (TLS 1.3 says so after the
 * handshake, so the client sees the alert or only its first write failing, whichever comes first).
 */
const REFUSED_CLIENT =
  /ALERT_CERTIFICATE_REQUIRED|ALERT_HANDSHAKE_FAILURE|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|^ECONNRESET$|^EPIPE$/;

/**
 * Why the probe failed, and what to do: the TLS failures say which side's certificate is wrong
 * (OpenSSL's own text for a refused handshake is a dump of its internals).
 */
function explainFailure(error: NodeJS.ErrnoException, tls: boolean): { why: string; hint: string } {
  const code = error.code ?? '';
  if (UNTRUSTED.has(code)) {
    return {
      why: `its TLS certificate is not signed by a CA this machine trusts (${error.message})`,
      hint: "Pass the CA that signed the server's certificate with --queue-ca FILE (PEM)",
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      why: error.message,
      hint: "Give the queue URL a host name or address that the server's certificate names (its subjectAltName)",
    };
  }
  if (tls && REFUSED_CLIENT.test(code)) {
    return {
      why: `the server closed the TLS connection (${code.replace(/^ERR_SSL_/, '').toLowerCase()})`,
      hint: 'If it asks for a client certificate (redis-server tls-auth-clients, on by default with TLS), pass --queue-cert FILE and --queue-key FILE (PEM), signed by a CA it trusts',
    };
  }
  return {
    why: error.message,
    hint: 'Check that redis-server runs there and this machine may connect (bind, firewall, rediss:// for a TLS port, NETOPS_QUEUE_PASSWORD)',
  };
}
