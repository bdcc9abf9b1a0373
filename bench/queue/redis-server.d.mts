/** redis-server.mjs: a real redis-server on loopback and a unix socket, for the queue tests and bench. */
import type { ChildProcess } from 'node:child_process';

export interface RedisServer {
  readonly pid: number;
  readonly port: number;
  /** `redis://127.0.0.1:PORT` (`rediss://` with TLS), what `netops worker --queue` and `netops run --queue` take. */
  readonly url: string;
  /** The unix socket the same server answers on (mode 0700, root only). */
  readonly socket: string;
  /** Runs one command with redis-cli over the unix socket and returns its raw output. */
  cli(...args: readonly string[]): Promise<string>;
  /** `INFO section` as name -> value, e.g. `(await info('memory')).used_memory`. */
  info(section: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}
/** PEM files for a server whose TCP port speaks TLS only. */
export interface RedisTls {
  readonly cert: string;
  readonly key: string;
  /** The CA that clients' certificates must be signed by. */
  readonly clientCa: string;
  /** `tls-auth-clients yes` (redis-server's default): no client certificate, no connection. */
  readonly requireClientCert: boolean;
}
/** With `ipv6`, the TCP port is also bound on ::1 (the URL stays 127.0.0.1's). */
export function startRedisServer(options?: {
  readonly tls?: RedisTls;
  readonly ipv6?: boolean;
}): Promise<RedisServer>;
/** Resolves when `child` has exited (at once if it already has). */
export function ended(child: ChildProcess): Promise<void>;
