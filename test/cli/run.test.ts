/** `netops run` as a user runs it: the built binary, real sockets on 127.0.0.1 and ::1. */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { runNetops } from '../helpers/netops-cli.js';
import { closedTcpPort, dualStackListener } from '../helpers/tcp-listener.js';

const dir = useTempDir('netops-cli-');
const up = useStarted(dualStackListener);
const closed = useStarted(closedTcpPort);

beforeAll(async () => {
  await mkdir(path.join(dir, 'inventory'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(
    path.join(dir, 'inventory', 'lab.yaml'),
    `credentials:
  lab: { username: admin, password: { env: LAB_PASSWORD } }
defaults: { credentials: lab }
groups:
  up: { port: ${up.port} }
hosts:
  v4: { address: 127.0.0.1, groups: [up] }
  v6: { address: "::1", groups: [up] }
  closed: { address: 127.0.0.1, port: ${closed.port} }
`,
  );
  await writeFile(
    path.join(dir, 'jobs', 'check.yaml'),
    `inventory: ../inventory/lab.yaml
concurrency: 2
steps:
  - task: reachable
    params: { timeoutMs: 3000 }
`,
  );
});

const env = { LAB_PASSWORD: 'not-used-by-reachable' };
const run = (args: string[]) => runNetops(['run', 'jobs/check.yaml', ...args], { cwd: dir, env });

describe('netops run', () => {
  it('--plan prints every step per host and opens no socket', async () => {
    const before = up.connections();
    const result = await run(['--plan']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan for job "check" (jobs/check.yaml): 3 hosts, 1 step, concurrency 2');
    expect(result.stdout).toMatch(
      /v6 \(::1, ssh\)\n {2}1\. reachable \(reachable\) {2}\{"families":\["ipv4","ipv6"\]/,
    );
    expect(result.stdout).toContain(`connect to 127.0.0.1 port ${closed.port}`);
    expect(up.connections()).toBe(before);
    expect(await readdir(path.join(dir, 'jobs'))).not.toContain('runs');
  });

  it('reports reachable hosts over IPv4 and IPv6 as ok and the closed port as failed, exit 1', async () => {
    const before = up.connections();
    const result = await run([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^v4 +ok .*ipv4 127\\.0\\.0\\.1:${up.port} [\\d.]+ms$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^v6 +ok .*ipv6 \\[::1\\]:${up.port} [\\d.]+ms$`, 'm'));
    expect(result.stdout).toMatch(/^closed +FAILED .*CONNECT_REFUSED/m);
    expect(result.stdout).toMatch(/hint: /);
    expect(result.stdout).toMatch(/check: FAILED: 3 hosts, 2 ok, 0 changed, 1 failed, 0 skipped/);
    expect(up.connections() - before).toBe(2);
  });

  it('exits 0 when every host is reachable, and --quiet then prints nothing', async () => {
    const result = await run(['--quiet', '--limit', 'group:up']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });

  it('--quiet prints failures and a one-line summary when something failed', async () => {
    const result = await run(['--quiet']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^closed +FAILED/);
    expect(lines.at(-2)).toMatch(/^check: FAILED: 3 hosts/);
    expect(lines.at(-1)).toMatch(
      /^netops-run job=check run=\S+-check result=failed exit=1 hosts=3 ok=2 .*failed=1 /,
    );
    expect(result.stdout).not.toMatch(/^v4 /m);
  });

  it('--json prints the run record, which validates against its schema and matches the file written', async () => {
    const result = await run(['--json']);
    expect(result.code).toBe(1);
    const printed: unknown = JSON.parse(result.stdout);
    const record = runRecordSchema.parse(printed);
    expect(record.summary).toEqual({ hosts: 3, ok: 2, changed: 0, failed: 1, skipped: 0 });
    const v6 = record.hosts.find((h) => h.host === 'v6')!;
    expect(v6.steps[0]?.data).toMatchObject({ families: ['ipv6'] });
    // Records land next to the job file (jobs/runs), like every path a job names.
    // Beside the records: index.jsonl, the run history (docs/runs.md).
    const files = (await readdir(path.join(dir, 'jobs', 'runs'))).filter((f) => f.endsWith('.json'));
    const written = await Promise.all(
      files.map(async (f) => JSON.parse(await readFile(path.join(dir, 'jobs', 'runs', f), 'utf8'))),
    );
    expect(written).toContainEqual(printed);
  });

  it('--json through a pipe delivers a record larger than the pipe buffer whole', async () => {
    await writeFile(
      path.join(dir, 'inventory', 'many.yaml'),
      `hosts:\n${Array.from({ length: 400 }, (_, i) => `  h${i}: { address: 127.0.0.1, port: ${up.port} }`).join('\n')}\n`,
    );
    await writeFile(
      path.join(dir, 'jobs', 'many.yaml'),
      'inventory: ../inventory/many.yaml\nconcurrency: 50\nsteps:\n  - task: reachable\n',
    );
    const result = await runNetops(['run', 'jobs/many.yaml', '--json'], { cwd: dir });
    expect(result.stdout.length).toBeGreaterThan(128 * 1024);
    expect(runRecordSchema.parse(JSON.parse(result.stdout)).summary.ok).toBe(400);
  });

  it('an unknown --limit pattern is invalid input: exit 2, nothing contacted', async () => {
    const before = up.connections();
    const result = await run(['--limit', 'nosuchhost']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LIMIT_EMPTY: the limit "nosuchhost" selects no host');
    expect(up.connections()).toBe(before);
  });

  it('Ctrl-C stops the run, aborts the host in flight, writes the record and exits 3', async () => {
    const blocked = await saturatedPort();
    try {
      await writeFile(
        path.join(dir, 'inventory', 'hang.yaml'),
        `hosts:\n  h0: { address: 127.0.0.1, port: ${up.port} }\n${[1, 2, 3]
          .map((i) => `  h${i}: { address: 127.0.0.1, port: ${blocked.port} }`)
          .join('\n')}\n`,
      );
      await writeFile(
        path.join(dir, 'jobs', 'hang.yaml'),
        `inventory: ../inventory/hang.yaml\nconcurrency: 1\nrecords: interrupted\nsteps:\n  - task: reachable\n    timeout: 60s\n    params: { timeoutMs: 60000 }\n`,
      );
      const before = up.connections();
      const result = await runNetops(['run', 'jobs/hang.yaml', '--json'], {
        cwd: dir,
        // h0 answers at once; h1 then hangs on the saturated port until the interrupt. netops closes
        // h0's connection when its step is done and starts h1 in the same turn: interrupt then.
        onSpawn: (pid) => {
          const poll = setInterval(() => {
            if (up.connections() > before && up.open() === 0) {
              clearInterval(poll);
              process.kill(pid, 'SIGINT');
            }
          }, 10);
        },
      });
      expect(result.code).toBe(3);
      const record = runRecordSchema.parse(JSON.parse(result.stdout));
      expect(record.aborted).toBe(true);
      expect(record.hosts.map((h) => h.status)).toEqual(['ok', 'failed', 'skipped', 'skipped']);
      expect(record.hosts[1]?.steps[0]?.error?.code).toBe('ABORTED');
      expect((await readdir(path.join(dir, 'jobs', 'interrupted'))).sort()).toEqual([
        `${record.id}.json`,
        'index.jsonl',
      ]);
    } finally {
      await blocked.close();
    }
  });
});

/**
 * A port whose accept queue is full: Linux then drops new SYNs, so a connect hangs (the way a
 * firewalled device looks) without any traffic leaving loopback. Python's listen(0) never accepts.
 */
async function saturatedPort(): Promise<{ port: number; close(): Promise<void> }> {
  const child = spawn(
    '/usr/bin/python3',
    [
      '-c',
      'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const fillers: net.Socket[] = [];
  // Fill the queue: connects complete until it is full (one for listen(0)), then they stop completing.
  const first: Promise<unknown>[] = [];
  for (let i = 0; i < 4; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    first.push(new Promise((resolve) => socket.once('connect', resolve)));
    fillers.push(socket);
  }
  await Promise.race(first);
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      child.kill('SIGTERM');
    },
  };
}
