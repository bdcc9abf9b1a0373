// Scale-out on BullMQ/Redis: a backup of the netns lab's scale namespace (thousands of simulated
// devices in one process, root needed) by `netops run --queue` with 1, 2, ... workers, against a
// local `netops run` of the same hosts on the same machine in the same bench run. Per round: wall of
// the coordinator, CPU per device of coordinator + workers + redis-server, Redis peak memory
// (INFO memory of a fresh server), and the queue's CPU overhead per host over the local run.
// Workers and the local run sit in the lab's management namespace (they reach the devices); the
// coordinator sits on the host with the store, reaching Redis on loopback.
//   npm run bench -- queue --devices 10000 --parallel 100 --workers 3
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { netnsLabDown } from '../../dist/lab/netns/teardown.js';
import { placeholderKey } from '../../dist/store/placeholder-key.js';
import { storeStateDir } from '../../dist/store/store-state.js';
import { root } from '../harness/results.mjs';
import { startScaleLab, writeScaleInventory } from '../harness/scale-lab.mjs';
import { timedProcess } from '../harness/timed-process.mjs';
import { startRedisRelay } from './redis-relay.mjs';
import { startRedisServer } from './redis-server.mjs';
import { startWorkerProcess } from './worker-process.mjs';

export const about = {
  title: 'Scale-out: a queued backup with 1..N workers against a local run of the same hosts',
  baseline: 'a local `netops run` of the same hosts, same machine, same bench run',
  params: ['devices', 'parallel', 'workers', 'method'],
  defaults: { devices: 10_000, parallel: 100, workers: 3, method: 'show' },
  smoke: { devices: 6, parallel: 3, workers: 1, method: 'show' },
};

const netops = path.join(root, 'dist/cli/main.js');

/** CPU seconds (utime + stime) of a live process, from /proc/PID/stat. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function writeFiles(dir, spec, { parallel, method }) {
  await writeScaleInventory(dir, spec);
  const job = (store) =>
    `inventory: inventory.yaml\nconcurrency: ${parallel}\ntrustNewHostKeys: true\ntimeouts: { step: 600s }\nstore: { dir: ${store} }\nsteps:\n  - task: backup\n    params: { method: ${method} }\n`;
  return async (label) => {
    await writeFile(path.join(dir, `${label}.yaml`), job(`store-${label}`));
    return `${label}.yaml`;
  };
}

function summaryOf(run) {
  const record = JSON.parse(run.stdout || '{}');
  return record.summary ?? { changed: 0, ok: 0, failed: -1 };
}

async function localRun(dir, lab, secrets, jobFile) {
  const argv = ['netns', 'exec', lab.management, process.execPath, netops, 'run', jobFile, '--json'];
  const run = await timedProcess('ip', argv, {
    cwd: dir,
    env: { ...secrets, NETOPS_STATE_DIR: path.join(dir, 'state-local') },
  });
  return { wall: run.wall, cpu: run.cpu, code: run.code, summary: summaryOf(run) };
}

/** One queued run with `count` workers, on a fresh redis-server (its peak memory is this run's). */
async function queuedRound(dir, lab, secrets, jobFile, { count, parallel }) {
  const label = path.basename(jobFile, '.yaml');
  const coordinatorEnv = { NETOPS_STATE_DIR: path.join(dir, `state-${label}`) };
  await placeholderKey(path.join(dir, `store-${label}`), coordinatorEnv);
  const key = path.join(
    await storeStateDir(path.join(dir, `store-${label}`), coordinatorEnv),
    'placeholder.key',
  );
  const redis = await startRedisServer();
  const relay = await startRedisRelay(lab.management, redis);
  const workers = [];
  try {
    for (let i = 0; i < count; i++) {
      const wdir = path.join(dir, `${label}-worker-${i + 1}`);
      await mkdir(wdir, { recursive: true, mode: 0o700 });
      await copyFile(key, path.join(wdir, 'placeholder.key'));
      const env = { ...secrets, NETOPS_STATE_DIR: path.join(wdir, 'state') };
      const options = { name: `w${i + 1}`, queue: redis.url, site: 'default', namespace: lab.management };
      workers.push(
        await startWorkerProcess({
          ...options,
          concurrency: parallel,
          placeholderKey: path.join(wdir, 'placeholder.key'),
          env,
        }),
      );
    }
    const redisCpu = async () => {
      const info = await redis.info('cpu');
      return Number(info.used_cpu_user) + Number(info.used_cpu_sys);
    };
    const before = { workers: workers.map((w) => cpuOf(w.pid)), redis: await redisCpu() };
    const argv = [netops, 'run', jobFile, '--queue', redis.url, '--json'];
    const run = await timedProcess(process.execPath, argv, { cwd: dir, env: coordinatorEnv });
    const workersCpu = workers.reduce((sum, w, i) => sum + cpuOf(w.pid) - before.workers[i], 0);
    const memory = await redis.info('memory');
    return {
      wall: run.wall,
      code: run.code,
      summary: summaryOf(run),
      coordinatorCpu: run.cpu,
      workersCpu,
      redisCpu: (await redisCpu()) - before.redis,
      redisPeakMiB: Number(memory.used_memory_peak) / 2 ** 20,
      redisStartMiB: Number(memory.used_memory_startup) / 2 ** 20,
    };
  } finally {
    for (const worker of workers) await worker.stop();
    await relay.close();
    await redis.stop();
  }
}

function rowsOf(count, q, local, devices) {
  const cpu = q.coordinatorCpu + q.workersCpu + q.redisCpu;
  return [
    {
      measure: `${count} worker(s): wall, ${devices} devices`,
      unit: 's',
      netops: q.wall,
      baseline: local.wall,
      baselineName: 'local run',
    },
    {
      measure: `${count} worker(s): CPU per device (coordinator + workers + redis)`,
      unit: 'ms',
      netops: (cpu * 1000) / devices,
      baseline: (local.cpu * 1000) / devices,
      baselineName: 'local run',
    },
    {
      measure: `${count} worker(s): queue CPU overhead per host`,
      unit: 'ms',
      netops: ((cpu - local.cpu) * 1000) / devices,
    },
    {
      measure: `${count} worker(s): Redis peak memory (INFO used_memory_peak)`,
      unit: 'MiB',
      netops: q.redisPeakMiB,
    },
  ];
}

const noteOf = (count, q, devices) =>
  `${count} worker(s): exit ${q.code}, ${q.summary.changed} changed, ${q.summary.failed} failed; CPU s: coordinator ${q.coordinatorCpu.toFixed(2)}, workers ${q.workersCpu.toFixed(2)}, redis ${q.redisCpu.toFixed(2)}; ${(((devices / q.wall) * 60) / count).toFixed(0)} devices per worker per minute; redis at startup ${q.redisStartMiB.toFixed(2)} MiB`;

export async function run(params) {
  const { devices, workers } = params;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-queue-'));
  const labDir = path.join(dir, 'lab');
  try {
    const { spec, state: lab, secrets } = await startScaleLab(labDir, { devices });
    const job = await writeFiles(dir, spec, params);
    const local = await localRun(dir, lab, secrets, await job('local'));
    const rows = [{ measure: `local run: wall, ${devices} devices`, unit: 's', netops: local.wall }];
    const notes = [
      `local run: exit ${local.code}, ${local.summary.changed} changed, ${local.summary.failed} failed, ${local.cpu.toFixed(2)} s CPU`,
    ];
    for (let count = 1; count <= workers; count++) {
      const q = await queuedRound(dir, lab, secrets, await job(`queued-${count}`), {
        count,
        parallel: params.parallel,
      });
      rows.push(...rowsOf(count, q, local, devices));
      notes.push(noteOf(count, q, devices));
    }
    notes.push(
      `${os.cpus().length} cores shared by the lab's simulator, the workers, the coordinator and redis-server: more workers than cores add no CPU, only the queue's spread.`,
    );
    return { rows, notes };
  } finally {
    await netnsLabDown(labDir);
    await rm(dir, { recursive: true, force: true });
  }
}
