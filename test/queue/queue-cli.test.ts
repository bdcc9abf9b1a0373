/**
 * `netops run --queue`, `netops worker` and `netops queue status` as a user runs them on one
 * machine: a loopback lab, a real redis-server and one worker process. What a queued run refuses
 * before anything is contacted, and a queued backup that ends like a local one (every host stored,
 * one commit, one record) with the worker and the run visible in `queue status`. The multi-site,
 * kill -9 and resume tests are in two-site.test.ts and failures.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../../bench/queue/worker-process.mjs';
import { useStarted } from '../helpers/fixture.js';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useRedisServer } from '../helpers/redis-server.js';

const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], configBytes: 8_000, bootMs: 100 });
const redis = useRedisServer();
const worker: WorkerProcess = useStarted(() =>
  startWorkerProcess({
    name: 'w1',
    queue: redis.url,
    site: 'default',
    concurrency: 4,
    stalledMs: 2000,
    env: t.env,
  }),
);

const netops = (args: string[]) => runNetops(args, { cwd: t.dir, env: t.env });
/** The coordinator of a queued run without the devices' secrets: only the worker has them. */
const coordinator = (args: string[]) =>
  runNetops(args, { cwd: t.dir, env: { NETOPS_STATE_DIR: t.env['NETOPS_STATE_DIR'] } });
const git = (...args: string[]) =>
  execFileSync('git', ['-C', path.join(t.dir, 'store'), ...args], { encoding: 'utf8' });

interface Record {
  readonly exitCode: number;
  readonly id: string;
  readonly hosts: ReadonlyArray<{ host: string; status: string }>;
}

describe('a queued run refuses, before anything is contacted', () => {
  it('an unreachable Redis: QUEUE_UNREACHABLE naming the server, exit 1, no record, no store', async () => {
    const job = await t.job('unreachable', { method: 'show' });
    const result = await netops(['run', job, '--queue', 'redis://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("QUEUE_UNREACHABLE: cannot reach the queue's Redis at 127.0.0.1:1");
    expect(result.stderr).toContain('hint:');
    expect(await readdir(path.join(t.dir, 'runs')).catch(() => [])).toEqual([]);
    expect(await readdir(path.join(t.dir, 'store')).catch(() => [])).toEqual([]);
  });

  it('a password in the queue URL: exit 2, and the password is not echoed', async () => {
    const job = await t.job('url-password', { method: 'show' });
    const result = await netops(['run', job, '--queue', 'redis://user:hunter2@127.0.0.1:1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the queue URL holds a password');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('a plain-text secret in the inventory, which would travel through Redis: exit 2 naming the host', async () => {
    const inventory = (await readFile(path.join(t.dir, 'inventory.yaml'), 'utf8')).replace(
      /password:\n\s+env: NETOPS_LAB_PASSWORD/,
      'password: lab-password',
    );
    await writeFile(path.join(t.dir, 'plain-inventory.yaml'), inventory);
    const job = await t.job('plain', { method: 'show' }, { inventory: 'plain-inventory.yaml' });
    const result = await netops(['run', job, '--queue', redis.url]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/CONFIG_INVALID: host \S+ has credentials\.lab\.password in plain text/);
  });

  it("a collect step's report, which a worker would render from the wrong store: exit 2 naming the step", async () => {
    await writeFile(
      path.join(t.dir, 'collect-report.yaml'),
      `name: collect-report
inventory: inventory.yaml
store: { dir: store }
steps:
  - name: facts
    task: collect
    params: { report: { out: inventory.html } }
`,
    );
    const result = await netops(['run', 'collect-report.yaml', '--queue', redis.url]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('step "facts" asks for a report, which a queued run cannot write');
  });

  it('--resume of a run Redis does not hold: exit 2', async () => {
    const job = await t.job('resume-unknown', { method: 'show' });
    const result = await netops(['run', job, '--queue', redis.url, '--resume', '2026-01-01T00-00-00-000Z-x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the queue holds no run 2026-01-01T00-00-00-000Z-x');
  });
});

describe('a queued backup', () => {
  it('stores every host through the worker (the only one with the secrets), in one commit, with one record of every host', async () => {
    const job = await t.job('queued', { method: 'auto' });
    const result = await coordinator(['run', job, '--queue', redis.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout) as Record;
    // The lab's inventory names each device twice: over IPv4 (r1) and over IPv6 (r1-v6).
    const hosts = t.lab.devices.flatMap((d) => [d.name, `${d.name}-v6`]);
    expect(record.hosts.map((h) => h.host).sort()).toEqual([...hosts].sort());
    expect(record.hosts.every((h) => h.status === 'changed')).toBe(true);
    for (const host of hosts) {
      const config = await readFile(path.join(t.dir, 'store', 'configs', `${host}.cfg`), 'utf8');
      expect(config).toMatch(/^hostname /m);
    }
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(git('tag', '--list', 'run/*').trim()).toBe(`run/${record.id}`);
    expect(worker.log()).toContain(`(run ${record.id})`);
    // A finished run keeps its summary; its plan and results (whole configs) expire within the hour.
    const ttl = Number(await redis.cli('TTL', `netops:run:${record.id}:results`));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3600);
    const resumed = await coordinator(['run', job, '--queue', redis.url, '--resume', record.id]);
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(resumed.stderr).toContain(`run ${record.id} has finished`);

    const again = JSON.parse(
      (await coordinator(['run', job, '--queue', redis.url, '--json'])).stdout,
    ) as Record;
    expect(again.hosts.every((h) => h.status === 'ok')).toBe(true);
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  });

  it('shows in queue status: the worker live on its site, the runs with every host done', async () => {
    const result = await netops(['queue', 'status', '--queue', redis.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const status = JSON.parse(result.stdout) as {
      workers: Array<{ name: string; site: string; live: boolean }>;
      sites: Array<{ site: string; waiting: number; active: number }>;
      runs: Array<{ job: string; hosts: number; done: number }>;
    };
    expect(status.workers.map((w) => [w.name, w.site, w.live])).toEqual([['w1', 'default', true]]);
    expect(status.sites).toContainEqual(expect.objectContaining({ site: 'default', waiting: 0, active: 0 }));
    const queued = status.runs.filter((r) => r.job === 'queued');
    expect(queued).toHaveLength(2);
    expect(queued.every((r) => r.done === r.hosts && r.hosts === 2 * t.lab.devices.length)).toBe(true);
  });
});

describe('a host that keeps failing on a worker', () => {
  it("gets the job's retries there, then fails alone: the other hosts are done, the record says how often it was tried", async () => {
    const r1 = t.lab.devices.find((d) => d.name === 'r1')!.device;
    r1.faults = { closeMidOutput: true };
    r1.log.length = 0;
    try {
      const job = await t.job(
        'retrying',
        { method: 'show' },
        { extra: 'retries: { count: 2, backoff: 50ms }\n' },
      );
      const result = await coordinator(['run', job, '--queue', redis.url, '--json']);
      expect(result.code, result.stderr).toBe(1);
      const record = JSON.parse(result.stdout) as {
        hosts: Array<{
          host: string;
          status: string;
          steps: Array<{ attempts: number; error?: { code: string } }>;
        }>;
      };
      const failed = record.hosts.filter((h) => h.status === 'failed').map((h) => h.host);
      expect(failed.sort()).toEqual(['r1', 'r1-v6']);
      for (const host of record.hosts.filter((h) => h.status === 'failed')) {
        expect(host.steps[0]?.attempts, host.host).toBe(3);
      }
      expect(record.hosts.filter((h) => h.status !== 'failed').every((h) => h.steps[0]?.attempts === 1)).toBe(
        true,
      );
      // r1 and r1-v6 are one device: three tries each reached it, and no try was lost or doubled.
      expect(r1.log.filter((e) => e.line === 'show running-config')).toHaveLength(6);
    } finally {
      r1.faults = {};
    }
  });
});
