/**
 * A host name that resolves to both families is checked over both. The name is real: the test
 * creates a network namespace whose /etc/hosts (bind-mounted by `ip netns exec` from
 * /etc/netns/NAME/hosts) maps it to 127.0.0.1 and ::1, so getaddrinfo answers as DNS would.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useTempDir } from '../helpers/fixture.js';

const ns = `netops-t-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const etc = `/etc/netns/${ns}`;
const dir = useTempDir('netops-dns-');
let listener: ChildProcess;
let port: number;

beforeAll(async () => {
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  await mkdir(etc, { recursive: true });
  await writeFile(
    path.join(etc, 'hosts'),
    '127.0.0.1 localhost\n127.0.0.1 dual.lab.test\n::1 dual.lab.test\n',
  );
  listener = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      process.execPath,
      '-e',
      `
      const net = require('node:net');
      const a = net.createServer((s) => s.end()).listen(0, '127.0.0.1', () => {
        const port = a.address().port;
        net.createServer((s) => s.end()).listen(port, '::1', () => console.log(port));
      });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  port = await new Promise((resolve) =>
    listener.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))),
  );
  await writeFile(
    path.join(dir, 'inventory.yaml'),
    `hosts:
  both: { address: dual.lab.test, port: ${port} }
  only6: { address: dual.lab.test, port: ${port}, family: 6 }
  unrouted: { address: 198.18.0.1, port: 22 }
  unknown: { address: nosuch.lab.test, port: 22 }
`,
  );
  await writeFile(path.join(dir, 'job.yaml'), 'inventory: inventory.yaml\nsteps:\n  - task: reachable\n');
});

afterAll(async () => {
  if (listener?.pid) process.kill(listener.pid, 'SIGTERM');
  execFileSync('ip', ['netns', 'del', ns]);
  await rm(etc, { recursive: true, force: true });
});

it('resolves a name to both families and checks each; `family` forces one', async () => {
  const result = await runNetops(['run', 'job.yaml', '--json', '--limit', 'both,only6'], {
    cwd: dir,
    wrap: ['ip', 'netns', 'exec', ns],
  });
  expect(result.stderr).toBe('');
  const record = runRecordSchema.parse(JSON.parse(result.stdout));
  const data = (host: string) => record.hosts.find((h) => h.host === host)?.steps[0]?.data;
  expect(data('both')).toMatchObject({
    families: ['ipv4', 'ipv6'],
    checks: [
      { family: 'ipv4', address: '127.0.0.1', port, ok: true },
      { family: 'ipv6', address: '::1', port, ok: true },
    ],
  });
  expect(data('only6')).toMatchObject({ families: ['ipv6'], checks: [{ family: 'ipv6', address: '::1' }] });
  expect(result.code, JSON.stringify(record.hosts.map((h) => h.steps[0]?.error))).toBe(0);
});

it('an address without a route and a name that does not resolve fail with their own codes and hints', async () => {
  const result = await runNetops(['run', 'job.yaml', '--json', '--limit', 'unrouted,unknown'], {
    cwd: dir,
    wrap: ['ip', 'netns', 'exec', ns],
  });
  expect(result.code).toBe(1);
  const record = runRecordSchema.parse(JSON.parse(result.stdout));
  const error = (host: string) => record.hosts.find((h) => h.host === host)?.steps[0]?.error;
  expect(error('unrouted')).toMatchObject({
    code: 'UNREACHABLE',
    message: expect.stringContaining('198.18.0.1:22 UNREACHABLE'),
  });
  expect(error('unknown')).toMatchObject({
    code: 'NAME_UNRESOLVED',
    message: expect.stringContaining('nosuch.lab.test'),
  });
});
