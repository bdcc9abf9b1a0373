/**
 * What a queued run survives, as an operator sees it (the built CLI, a real redis-server, workers as
 * separate processes): a worker killed with SIGKILL while it holds hosts, and the coordinator killed
 * and then resumed with `netops run --resume RUN_ID`. Either way every host is backed up exactly once
 * in the run record and the store, and the run makes one commit. Devices answer slowly (the lab's
 * latency fault) so that hosts are in a worker's hands when the kill comes; nothing waits on a clock:
 * the tests wait for what `netops queue status` reports.
 */
import { execFileSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { labEnvironment, labInventory } from '../../src/lab/lab-inventory.js';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { placeholderKey } from '../../src/store/placeholder-key.js';
import { storeStateDir } from '../../src/store/store-state.js';
import { useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { runNetops, type CliResult } from '../helpers/netops-cli.js';
import { useRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import type { Site } from './two-site.js';
import { useWorkers, type WorkerOptions } from './workers.js';

const dir = useTempDir('netops-queue-failures-');
const redis = useRedisServer();
const lab = useLoopbackLab({ devices: 8, snmp: false, faults: { latencyMs: 60 } });
const workers = useWorkers();
const hosts = () => lab.devices.map((d) => d.name);
const site = (): Site => ({ name: 'default', namespace: undefined, tftpListen: [], hosts: hosts() });
const env = () => ({ NETOPS_STATE_DIR: path.join(dir, 'coordinator') });

beforeAll(async () => {
  const inventory = parse(labInventory(lab)) as { hosts: Record<string, unknown> };
  inventory.hosts = Object.fromEntries(Object.entries(inventory.hosts).filter(([n]) => !n.endsWith('-v6')));
  await writeFile(path.join(dir, 'inventory.yaml'), stringify(inventory));
  await writeFile(
    path.join(dir, 'erase-kill.yaml'),
    `name: erase-kill
inventory: inventory.yaml
concurrency: 4
confirm: true
trustNewHostKeys: true
timeouts: { step: 90s }
steps:
  - task: command
    params: { commands: ['show version', 'write erase'] }
`,
  );
  for (const name of ['worker-kill', 'coordinator-kill'])
    await writeFile(
      path.join(dir, `${name}.yaml`),
      `name: ${name}
inventory: inventory.yaml
concurrency: 4
trustNewHostKeys: true
timeouts: { step: 90s }
store: { dir: ${name}-store }
steps:
  - task: backup
    params: { method: show }
`,
    );
  await placeholderKey(path.join(dir, 'worker-kill-store'), env());
  await placeholderKey(path.join(dir, 'coordinator-kill-store'), env());
});

const keyOf = async (store: string) =>
  path.join(await storeStateDir(path.join(dir, store), env()), 'placeholder.key');

const worker = async (name: string, store: string): Promise<WorkerOptions> => ({
  name,
  site: site(),
  queue: redis.url,
  dir: path.join(dir, name),
  placeholderKey: await keyOf(store),
  secrets: labEnvironment(lab),
  concurrency: 2,
});

interface QueueStatus {
  readonly runs: readonly { readonly id: string; readonly hosts: number; readonly done: number }[];
}

async function queueStatus(): Promise<QueueStatus> {
  const result = await runNetops(['queue', 'status', '--queue', redis.url, '--json'], { env: env() });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as QueueStatus;
}

/**
 * Waits until the run of `job` has at least `done` hosts finished; returns its id. Gives up when the
 * coordinator ended first (it failed: its output tells why).
 */
async function runReaches(job: string, done: number, coordinator: Promise<CliResult>): Promise<string> {
  let id = '';
  let ended: CliResult | undefined;
  void coordinator.then((result) => (ended = result));
  await waitFor(
    async () => {
      if (ended) throw new Error(`the coordinator ended first (exit ${ended.code}): ${ended.stderr}`);
      const run = (await queueStatus()).runs.find((r) => r.id.endsWith(job));
      id = run?.id ?? '';
      return (run?.done ?? -1) >= done;
    },
    `${done} hosts of ${job} done`,
    120_000,
  );
  return id;
}

function recordOf(result: CliResult): RunRecord {
  expect(result.stdout, result.stderr).toMatch(/^\{/);
  return runRecordSchema.parse(JSON.parse(result.stdout));
}

/** Every host once in the record, changed; one file per host in the store; one commit. */
async function expectEachHostOnce(record: RunRecord, store: string): Promise<void> {
  expect(record.hosts.map((h) => h.host).sort()).toEqual(hosts().sort());
  for (const h of record.hosts)
    expect(h.steps[0]?.status, `${h.host}: ${h.steps[0]?.error?.message}`).toBe('changed');
  expect((await readdir(path.join(dir, store, 'configs'))).sort()).toEqual(
    hosts()
      .map((h) => `${h}.cfg`)
      .sort(),
  );
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', path.join(dir, store), ...args], { encoding: 'utf8' });
  expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  expect(git('status', '--porcelain')).toBe('');
}

/** The hosts a worker's own log says it finished with `status`. */
const finished = (w: { name: string; log(): string }, status = 'changed') =>
  [...w.log().matchAll(new RegExp(`worker ${w.name}: (\\S+) ${status}`, 'g'))].map((m) => m[1]);

describe('a worker killed with SIGKILL mid-run', () => {
  it(
    'has its hosts taken by another worker: each host backed up once, one commit',
    { timeout: 240_000 },
    async () => {
      const victim = await workers.start(await worker('victim', 'worker-kill-store'));
      const coordinator = runNetops(['run', 'worker-kill.yaml', '--queue', redis.url, '--json'], {
        cwd: dir,
        env: env(),
      });
      // The victim holds hosts (two at a time) once the first is done; kill it then, mid-host. Its own
      // log says so at once (`netops queue status` is a process per poll: on a loaded machine the
      // victim had done all eight by the time it answered).
      let ended: CliResult | undefined;
      void coordinator.then((result) => (ended = result));
      await waitFor(() => {
        if (ended) throw new Error(`the coordinator ended first (exit ${ended.code}): ${ended.stderr}`);
        return finished(victim).length >= 1;
      }, 'the victim to finish its first host');
      process.kill(victim.pid, 'SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const survivor = await workers.start(await worker('survivor', 'worker-kill-store'));
      const result = await coordinator;
      // Its key is this store's: it must not take the next test's hosts.
      await survivor.stop();
      expect(result.code, result.stderr).toBe(0);
      await expectEachHostOnce(recordOf(result), 'worker-kill-store');
      // The victim finished some hosts before it died; the survivor did all the others, the ones
      // the victim held when it was killed among them. A host whose result the victim delivered in
      // the moment before the kill, before the queue marked its job complete, is done again by the
      // survivor (the queue delivers at least once; the record above keeps one result per host):
      // at most the two the victim held at a time.
      const byVictim = finished(victim);
      const bySurvivor = finished(survivor);
      expect(byVictim.length).toBeGreaterThan(0);
      expect(byVictim.length).toBeLessThan(hosts().length);
      expect([...new Set([...byVictim, ...bySurvivor])].sort()).toEqual(hosts().sort());
      expect(new Set(byVictim).size).toBe(byVictim.length);
      expect(new Set(bySurvivor).size).toBe(bySurvivor.length);
      expect(byVictim.filter((h) => bySurvivor.includes(h)).length).toBeLessThanOrEqual(2);
    },
  );
});

describe('the coordinator killed mid-run', () => {
  it(
    'is finished by `netops run --resume RUN_ID`: each host once, one commit',
    { timeout: 240_000 },
    async () => {
      const steady = await workers.start(await worker('steady', 'coordinator-kill-store'));
      let pid = 0;
      const killed = runNetops(['run', 'coordinator-kill.yaml', '--queue', redis.url, '--json'], {
        cwd: dir,
        env: env(),
        onSpawn: (p) => (pid = p),
      });
      // Killed as soon as its hosts are queued: the worker is then still on the first of them.
      const runId = await runReaches('coordinator-kill', 0, killed);
      process.kill(pid, 'SIGKILL');
      expect((await killed).signal).toBe('SIGKILL');
      const resumed = await runNetops(
        ['run', 'coordinator-kill.yaml', '--queue', redis.url, '--resume', runId, '--json'],
        { cwd: dir, env: env() },
      );
      // Its key is this store's: it must not take the next test's hosts.
      await steady.stop();
      expect(resumed.code, resumed.stderr).toBe(0);
      const record = recordOf(resumed);
      expect(record.id).toBe(runId);
      await expectEachHostOnce(record, 'coordinator-kill-store');
    },
  );
});

describe('a worker killed with SIGKILL during destructive steps', () => {
  it(
    'has the host it held fail with HOST_INTERRUPTED: no device is erased twice',
    { timeout: 240_000 },
    async () => {
      const typed = (name: string) => lab.devices.find((d) => d.name === name)!.device.log.map((e) => e.line);
      for (const d of lab.devices) d.device.log.length = 0;
      const victim = await workers.start(await worker('eraser', 'worker-kill-store'));
      const coordinator = runNetops(['run', 'erase-kill.yaml', '--queue', redis.url, '--json'], {
        cwd: dir,
        env: env(),
      });
      // Killed between a host's two commands: the device answered `show version` (answers take the
      // lab's 60 ms) and has not been sent `write erase` yet, so the victim never finished that host.
      let held = '';
      await waitFor(() => {
        held =
          hosts().find((h) => typed(h).includes('show version') && !typed(h).includes('write erase')) ?? '';
        return held !== '';
      }, 'the victim to be between the two commands of a host');
      process.kill(victim.pid, 'SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const survivor = await workers.start(await worker('after-eraser', 'worker-kill-store'));
      const result = await coordinator;
      await survivor.stop();
      const record = recordOf(result);
      expect(result.code).toBe(1);
      expect(record.hosts.map((h) => h.host).sort()).toEqual(hosts().sort());
      const interrupted = record.hosts.filter((h) => h.status === 'failed');
      // The host the victim held, and at most the one other it held at the same time.
      expect(interrupted.map((h) => h.host)).toContain(held);
      expect(interrupted.length).toBeLessThanOrEqual(2);
      for (const h of interrupted) {
        expect(h.steps[0]?.error?.code).toBe('HOST_INTERRUPTED');
        expect(h.steps[0]?.error?.message).toContain(`worker eraser began the destructive steps`);
        expect(h.steps[0]?.error?.hint).toContain(`--limit ${h.host}`);
      }
      for (const h of record.hosts.filter((r) => r.status !== 'failed'))
        expect(h.steps[0]?.status, `${h.host}: ${h.steps[0]?.error?.message}`).toBe('ok');
      // Each device was sent the commands once at most; the interrupted ones never by the survivor.
      for (const h of hosts()) {
        const once = interrupted.some((i) => i.host === h) ? 'toBeLessThanOrEqual' : 'toBe';
        expect(typed(h).filter((line) => line === 'show version').length, h)[once](1);
        expect(typed(h).filter((line) => line === 'write erase').length, h)[once](1);
      }
      expect(typed(held)).not.toContain('write erase');
    },
  );
});
