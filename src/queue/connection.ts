/**
 * How netops reaches Redis: `redis://[user@]host:port[/db]` or `rediss://` (TLS), the password from
 * NETOPS_QUEUE_PASSWORD or a file (never in the URL, so never in argv, logs or records), and a probe
 * that fails with QUEUE_UNREACHABLE naming the server before anything else happens.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RedisOptions } from 'bullmq';
import { NetopsError } from '../core/errors.js';
import { QUEUE_PREFIX } from './names.js';
import { commands } from './redis-commands.js';

export interface QueueAccess {
  /** redis:// or rediss:// URL, without a password. */
  readonly url: string;
  /** A file holding the Redis password (first line). @default NETOPS_QUEUE_PASSWORD, else none */
  readonly passwordFile?: string | undefined;
  /** PEM CA bundle for a rediss:// server signed by a private CA. @default the system's CAs */
  readonly caFile?: string | undefined;
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
  const tls: TlsOptions | undefined =
    url.protocol === 'rediss:'
      ? { servername: host, ...(access.caFile ? { ca: await readSecretFile(access.caFile) } : {}) }
      : undefined;
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

/** Connects once, without retrying, and answers PING; QUEUE_UNREACHABLE when it cannot. */
export async function probeRedis(options: RedisOptions, where: string): Promise<void> {
  const { Queue } = await import('bullmq');
  const probe = new Queue('probe', {
    prefix: QUEUE_PREFIX,
    connection: { ...options, retryStrategy: () => null },
  });
  // The failure is reported by the awaited client; the event would otherwise print it again.
  probe.on('error', () => undefined);
  try {
    await commands(await probe.client).ping();
  } catch (error) {
    throw new NetopsError(
      'QUEUE_UNREACHABLE',
      `cannot reach the queue's Redis at ${where}: ${(error as Error).message}`,
      {
        hint: 'Check that redis-server runs there and this machine may connect (bind, firewall, TLS, NETOPS_QUEUE_PASSWORD); nothing was sent to any device.',
        transient: true,
      },
    );
  } finally {
    await probe.close().catch(() => undefined);
  }
}
