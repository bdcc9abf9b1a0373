/** redis-server.mjs: a real redis-server on loopback and a unix socket, for the queue tests and bench. */
import type { ChildProcess } from 'node:child_process';

export interface RedisServer {
  readonly pid: number;
  readonly port: number;
  /** `redis://127.0.0.1:PORT`, what `netops worker --queue` and `netops run --queue` take. */
  readonly url: string;
  /** The unix socket the same server answers on (mode 0700, root only). */
  readonly socket: string;
  /** Runs one command with redis-cli over the unix socket and returns its raw output. */
  cli(...args: readonly string[]): Promise<string>;
  /** `INFO section` as name -> value, e.g. `(await info('memory')).used_memory`. */
  info(section: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}
export function startRedisServer(): Promise<RedisServer>;
/** Resolves when `child` has exited (at once if it already has). */
export function ended(child: ChildProcess): Promise<void>;
