/**
 * The shared fixtures keep their promise to the test files that use them: started before the tests
 * in the order declared, stopped after them in the reverse order (a lab before the server it sends
 * to), folders removed, environment put back, and a fixture read when it is not running says so.
 */
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useEnv, useFixture, useStarted, useTempDir } from './fixture.js';

const log: string[] = [];
const seen: { dir?: string; server?: { readonly port: number } } = {};

describe('fixtures of a describe block', () => {
  const dir = useTempDir('netops-fixture-test-');
  const server = useFixture(
    async () => {
      log.push('start server');
      return { port: 6969, label: () => `server on ${server.port}` };
    },
    () => void log.push('stop server'),
  );
  const lab = useStarted(async () => {
    log.push(`start lab sending to ${server.port}`);
    return { close: () => void log.push('close lab') };
  });
  useEnv({ NETOPS_FIXTURE_TEST: 'set' });
  seen.dir = dir;
  seen.server = server;

  it('are running in the tests, methods bound to the started value', () => {
    expect(server.port).toBe(6969);
    expect(server.label()).toBe('server on 6969');
    expect('close' in lab).toBe(true);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(process.env['NETOPS_FIXTURE_TEST']).toBe('set');
    expect(log).toEqual(['start server', 'start lab sending to 6969']);
  });
});

describe('after the block', () => {
  it('stopped them in the reverse order, removed the folder and put the environment back', () => {
    expect(log).toEqual(['start server', 'start lab sending to 6969', 'close lab', 'stop server']);
    expect(existsSync(seen.dir!)).toBe(false);
    expect(process.env['NETOPS_FIXTURE_TEST']).toBeUndefined();
  });

  it('a fixture read when it is not running says so', () => {
    expect(() => seen.server!.port).toThrow(/fixture was read outside the tests of its file/);
  });
});
