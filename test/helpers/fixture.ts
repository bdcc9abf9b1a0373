/**
 * File-level fixtures: a test file says what it needs in one line (`const lab = useLoopbackLab(spec)`)
 * and the fixture registers its own start (beforeAll) and cleanup (afterAll). Fixtures declared one
 * after another start in that order and stop in the reverse order (vitest's default hook sequence),
 * so a lab declared after the TFTP server it sends to is closed before that server.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface FixtureOptions {
  /** How long the start may take, for the slow ones (compiling, booting namespaces). */
  readonly timeoutMs?: number;
}

/**
 * Starts `start()` before the file's tests and `stop()`s it after them. The returned object stands
 * for the started value: reading a property before the tests run is an error (the value does not
 * exist yet), so call sites read it only inside tests and hooks. Methods are bound to the real value.
 */
export function useFixture<T extends object>(
  start: () => Promise<T>,
  stop: (value: T) => Promise<unknown> | unknown,
  options: FixtureOptions = {},
): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, options.timeoutMs);
  afterAll(async () => {
    if (value !== undefined) await stop(value);
    value = undefined;
  });
  const current = (): T => {
    if (value === undefined)
      throw new Error(
        'a fixture was read outside the tests of its file (not started yet, or already stopped)',
      );
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const real = current();
      const property: unknown = Reflect.get(real, key, real);
      return typeof property === 'function'
        ? (property as (...a: unknown[]) => unknown).bind(real)
        : property;
    },
    has: (_, key) => Reflect.has(current(), key),
    ownKeys: () => Reflect.ownKeys(current()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(), key);
      // The proxy's own target is empty, so nothing on it may claim to be non-configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** Something the test starts and ends: a server, a device, an agent, a lab. */
export type Service = { close(): unknown } | { stop(): unknown };

/** `start()` before the file's tests; its `close()` (or `stop()`) after them. */
export function useStarted<T extends Service>(start: () => Promise<T>, options: FixtureOptions = {}): T {
  return useFixture(
    start,
    (service: Service) => ('close' in service ? service.close() : service.stop()),
    options,
  );
}

/**
 * A fresh folder under the system temp dir for the file's tests, removed with everything in it after
 * them. Its name is known when the file loads (so other fixtures' specs can use it); it is created
 * only when the tests start, so a file whose tests are all filtered out leaves nothing behind.
 * Private unless `mode` says otherwise (0o777 where a daemon that drops privileges writes into it).
 */
export function useTempDir(prefix: string, mode = 0o700): string {
  const dir = path.join(os.tmpdir(), `${prefix}${randomBytes(6).toString('hex')}`);
  beforeAll(async () => {
    await mkdir(dir, { mode: 0o700 });
    await chmod(dir, mode); // mkdir's mode is narrowed by the umask
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Sets environment variables for the file's tests and puts back what was there before. */
export function useEnv(values: Record<string, string>): void {
  let before: Record<string, string | undefined> = {};
  beforeAll(() => {
    before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    Object.assign(process.env, values);
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  });
}

/** A state folder of this file only (`NETOPS_STATE_DIR`): host keys pinned by its tests stay with it. */
export function useStateDir(dir = useTempDir('netops-state-')): string {
  useEnv({ NETOPS_STATE_DIR: dir });
  return dir;
}
