/**
 * The plain Redis commands netops sends beside BullMQ's own (run plans, results, worker
 * advertisements), typed here because BullMQ types its client as a driver-neutral interface:
 * bullmq 5 always connects with ioredis, whose client answers these.
 */
import type { IRedisClient } from 'bullmq';

export interface RedisCommands {
  ping(): Promise<string>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ex: 'EX', seconds: number): Promise<unknown>;
  /** Sets only a key that does not exist yet: 'OK', or null when another holds it. */
  set(key: string, value: string, ex: 'EX', seconds: number, nx: 'NX'): Promise<'OK' | null>;
  del(...keys: string[]): Promise<number>;
  rpush(key: string, value: string): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  llen(key: string): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  hset(key: string, field: string, value: string): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, field: string): Promise<number>;
  zadd(key: string, score: number, member: string): Promise<number>;
  zrevrange(key: string, start: number, stop: number): Promise<string[]>;
  info(section: string): Promise<string>;
}

export function commands(client: IRedisClient): RedisCommands {
  return client as unknown as RedisCommands;
}
