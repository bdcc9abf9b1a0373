/** redis-relay.mjs: a namespace's 127.0.0.1:PORT relayed to the host's redis-server unix socket. */
import type { RedisServer } from './redis-server.mjs';

export interface RedisRelay {
  readonly pid: number;
  readonly namespace: string;
  close(): Promise<void>;
}
export function startRedisRelay(namespace: string, redis: RedisServer): Promise<RedisRelay>;
