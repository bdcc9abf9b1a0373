/**
 * A real redis-server for a test file (bench/queue/redis-server.mjs, shared with the queue bench):
 * started before the file's tests on 127.0.0.1 at a free port and on a unix socket, no persistence;
 * stopped by its PID, its folder removed, after them.
 */
import { startRedisServer, type RedisServer } from '../../bench/queue/redis-server.mjs';
import { useStarted } from './fixture.js';

export { startRedisServer, type RedisServer };

export function useRedisServer(): RedisServer {
  return useStarted(startRedisServer, { timeoutMs: 60_000 });
}
