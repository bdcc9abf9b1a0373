// The container lab's costs (root, podman with runc), each beside the same thing without containers
// measured in the same run:
//   - the lab images: `netops lab images build` cold (an empty podman store of its own and an empty
//     cache, so the machine's images are untouched) and cached (every image found);
//   - N simulated devices (ios/nxos) brought up and taken down as containers, against the same N in
//     the netns lab (one namespace and one simulator process each);
//   - RSS per container device (every process of its container, and its conmon), against the same
//     simulator's process in the netns lab;
//   - `netops run` backing up the N container devices, against the same N in the loopback lab.
//   npm run bench -- container [--devices 50 --parallel 20 --method show]
// The smoke size skips the cold build (minutes) and uses 2 devices.
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { labEnvironment } from '../../dist/lab/lab-inventory.js';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { writeBackupJob } from '../harness/lab-inventory.mjs';
import { root } from '../harness/results.mjs';
import { timedProcess } from '../harness/timed-process.mjs';

export const about = {
  title:
    'Container lab: image build, N devices up and down, RSS per device, backup against netns and loopback',
  baseline:
    'the same devices without containers, same run: netns lab (up, down, RSS), loopback lab (backup); the cold build for the cached one',
  params: ['devices', 'parallel', 'method', 'coldBuild'],
  defaults: { devices: 50, parallel: 20, method: 'show', coldBuild: true },
  smoke: { devices: 2, parallel: 2, method: 'show', coldBuild: false },
};

const cli = path.join(root, 'dist/cli/main.js');

/** `netops ARGS` to its end; throws with its output when it fails. */
async function netops(args, env = {}) {
  const run = await timedProcess(process.execPath, [cli, ...args], { cwd: root, env });
  if (run.code !== 0)
    throw new Error(`netops ${args.join(' ')} exited ${run.code}:\n${run.stderr}${run.stdout}`);
  return run;
}

/** Resident KiB of a process now (0 once it has ended). */
function rssKiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Every PID on the host with its PID namespace and parent. */
function processTable() {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const ns = readlinkSync(`/proc/${pid}/ns/pid`);
        const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
        return [{ pid: Number(pid), ns, ppid }];
      } catch {
        return []; // ended meanwhile
      }
    });
}

/** RSS of a container: the processes of its PID namespace and the conmon watching it. */
function containerRssKiB(initPid, table) {
  const ns = table.find((p) => p.pid === initPid)?.ns;
  const inside = table.filter((p) => p.ns === ns);
  const conmon = table.find((p) => p.pid === initPid)?.ppid;
  return inside.reduce((sum, p) => sum + rssKiB(p.pid), conmon ? rssKiB(conmon) : 0);
}

async function podmanPids(names) {
  const run = await timedProcess('podman', [
    '--runtime',
    'runc',
    'inspect',
    '--format',
    '{{.State.Pid}}',
    ...names,
  ]);
  return run.stdout.split('\n').filter(Boolean).map(Number);
}

const simSpec = (devices) => ({
  devices: Array.from({ length: devices }, (_, i) => ({
    name: `r${i + 1}`,
    platform: i % 2 ? 'nxos' : 'ios',
  })),
});

/** A lab of `mode` up then down through the CLI; `whileUp(state)` measures it meanwhile. */
async function labCycle(mode, devices, whileUp) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `netops-bench-${mode}-`));
  const spec = path.join(dir, 'spec.yaml');
  writeFileSync(spec, stringify(simSpec(devices)));
  const lab = path.join(dir, 'lab');
  try {
    const up = await netops(['lab', 'up', '--mode', mode, '--spec', spec, '--dir', lab]);
    const measured = await whileUp(lab);
    const down = await netops(['lab', 'down', '--dir', lab]);
    return { up: up.wall, down: down.wall, ...measured };
  } finally {
    await timedProcess(process.execPath, [cli, 'lab', 'down', '--dir', lab]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per-device RSS of the netns lab's simulators (one device-main process each). */
function netnsRss(lab) {
  const state = JSON.parse(readFileSync(path.join(lab, 'netns-state.json'), 'utf8'));
  const sims = state.processes.filter((p) => p.name.endsWith('/sim'));
  return { rssKiB: sims.reduce((sum, p) => sum + rssKiB(p.pid), 0) / sims.length };
}

/** The container lab's hosts on IPv4 only, every device backed up once, TFTP to the host's address. */
function containerBackupJob(dir, lab, { parallel, method }) {
  const state = JSON.parse(readFileSync(path.join(lab, 'container-lab.json'), 'utf8'));
  const inventory = parse(readFileSync(path.join(lab, 'container-inventory.yaml'), 'utf8'));
  inventory.hosts = Object.fromEntries(
    Object.entries(inventory.hosts).filter(([name]) => !name.endsWith('-v6')),
  );
  writeFileSync(path.join(dir, 'inventory.yaml'), stringify(inventory));
  const listen = `tftp: { listen: ["${state.network.gateway.ipv4}:69"], timeout: 60 }`;
  const job = `inventory: inventory.yaml\nconcurrency: ${parallel}\ntrustNewHostKeys: true\n${listen}\nstore: { dir: store }\nsteps:\n  - task: backup\n    params: { method: ${method} }\n`;
  writeFileSync(path.join(dir, 'job.yaml'), job);
  return { state, env: envFile(path.join(lab, 'container-lab.env')) };
}

const envFile = (file) =>
  Object.fromEntries(
    [...readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
  );

async function backupRun(dir, env) {
  const run = await timedProcess(process.execPath, [cli, 'run', 'job.yaml', '--json'], {
    cwd: dir,
    env: { ...env, NETOPS_STATE_DIR: path.join(dir, 'state') },
  });
  const summary = run.stdout ? JSON.parse(run.stdout).summary : undefined;
  return { wall: run.wall, cpu: run.cpu, code: run.code, summary };
}

/** Container lab: RSS per device and a backup of every device while it is up. */
async function containerMeasures(lab, params) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-container-run-'));
  try {
    const { state, env } = containerBackupJob(work, lab, params);
    const pids = await podmanPids(state.devices.map((d) => d.container));
    const table = processTable();
    const rss = pids.reduce((sum, pid) => sum + containerRssKiB(pid, table), 0) / pids.length;
    return { rssKiB: rss, backup: await backupRun(work, env) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The same devices in the loopback lab (this process), backed up by the same job. */
async function loopbackBackup({ devices, parallel, method }) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-container-loopback-'));
  const tftpPort = 20000 + Math.floor(Math.random() * 20000);
  const lab = await startLoopbackLab({ devices, platforms: ['ios', 'nxos'], tftpPort });
  try {
    writeBackupJob(work, lab, { parallel, method, tftpPort });
    return await backupRun(work, labEnvironment(lab));
  } finally {
    await lab.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `lab images build` in a podman store and cache of its own (CONTAINERS_STORAGE_CONF, NETOPS_CACHE):
 * every image made from nothing while the machine's own images stay as they are. The clean-up names
 * that store explicitly (--root/--runroot), so it can never touch the machine's images.
 */
async function coldBuild() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-images-'));
  const [graph, runroot] = [path.join(dir, 'graph'), path.join(dir, 'run')];
  mkdirSync(graph);
  const storage = path.join(dir, 'storage.conf');
  writeFileSync(storage, `[storage]\ndriver = "overlay"\ngraphroot = "${graph}"\nrunroot = "${runroot}"\n`);
  const env = { CONTAINERS_STORAGE_CONF: storage, NETOPS_CACHE: path.join(dir, 'cache') };
  const own = ['--runtime', 'runc', '--root', graph, '--runroot', runroot];
  try {
    const build = await netops(['lab', 'images', 'build'], env);
    const images = await timedProcess('podman', [...own, 'images', '--format', '{{.Repository}}']);
    if (!images.stdout.includes('netops-lab/sim'))
      throw new Error(`the cold build did not use its own store ${graph}: ${images.stdout}${images.stderr}`);
    return build.wall;
  } finally {
    await timedProcess('podman', [...own, 'rmi', '--all', '--force']);
    rmSync(dir, { recursive: true, force: true });
  }
}

const backupNote = (label, b) =>
  `${label}: exit ${b.code}, ${b.summary?.changed ?? '?'} changed, ${b.summary?.ok ?? '?'} unchanged, ${b.summary?.failed ?? '?'} failed, ${b.cpu.toFixed(2)} s CPU`;

export async function run(params) {
  const { devices, method } = params;
  const cold = params.coldBuild ? await coldBuild() : undefined;
  // The first build makes what the work tree changed since (dist/ feeds the sim image); the second finds all.
  await netops(['lab', 'images', 'build']);
  const cached = (await netops(['lab', 'images', 'build'])).wall;
  const netns = await labCycle('netns', devices, async (lab) => netnsRss(lab));
  const container = await labCycle('container', devices, (lab) => containerMeasures(lab, params));
  const loopback = await loopbackBackup(params);
  const n = `${devices} devices`;
  return {
    rows: [
      ...(cold === undefined
        ? []
        : [{ measure: 'image build, cold (base + sim, frr, tftpd)', unit: 's', netops: cold }]),
      {
        measure: 'image build, cached (every image found)',
        unit: 's',
        netops: cached,
        ...(cold === undefined ? {} : { baseline: cold, baselineName: 'cold build' }),
      },
      {
        measure: `lab up, ${n}`,
        unit: 's',
        netops: container.up,
        baseline: netns.up,
        baselineName: 'netns lab',
      },
      {
        measure: `lab down, ${n}`,
        unit: 's',
        netops: container.down,
        baseline: netns.down,
        baselineName: 'netns lab',
      },
      {
        measure: 'RSS per device (container: its processes + conmon)',
        unit: 'MiB',
        netops: container.rssKiB / 1024,
        baseline: netns.rssKiB / 1024,
        baselineName: 'netns lab simulator process',
      },
      {
        measure: `backup of ${n} (${method}), wall`,
        unit: 's',
        netops: container.backup.wall,
        baseline: loopback.wall,
        baselineName: 'same devices, loopback lab',
      },
      {
        measure: `backup of ${n} (${method}), CPU of netops`,
        unit: 's',
        netops: container.backup.cpu,
        baseline: loopback.cpu,
        baselineName: 'same devices, loopback lab',
      },
    ],
    notes: [
      backupNote('container lab backup', container.backup),
      backupNote('loopback lab backup', loopback),
      'lab up includes waiting until every device answers; the container lab also attaches the host to its network.',
    ],
  };
}
