// Backup of many loopback-lab devices over SSH (IPv4), `show running-config` by default or
// `--method tftp-cli`: wall time, CPU and peak RSS of the `netops run` process, against the lower
// bound the devices' simulated latency imposes (counted in the simulators, same run). The lab runs
// in this process; netops runs as a child, so its CPU and RSS are its own. Two runs: the first
// stores every config (first logins pin every host key), the second finds them unchanged.
//   npm run bench -- backup --devices 1000 --parallel 100 --latency 20 [--method tftp-cli] [--lab netns]
//   [--threads N|auto] (netops run --threads: worker threads for the hosts' sessions; 1 = one thread)
//   [--cores N|all] (netops and its git processes on cores 0..N-1, the lab on the others: see below)
// The lab: the loopback lab (in this process, 127.0.0.1, a port per service) up to 2,000 devices;
// beyond, its three ports per device would not fit the ephemeral port range, so `--lab auto` (the
// default) takes the netns lab's scale namespace (root; thousands of devices, each on its own
// address, in simulator processes). Its devices count no writes here: a two-device loopback run of
// the same method in the same bench run counts the delayed writes per device for the latency bound.
// Beside netops' own CPU the bench reports its process tree's (the git processes of the store
// included) and the lab's (this process for the loopback lab, the simulator processes for the netns
// lab): on one machine the simulators take cores from netops, so a second bound, the whole work of
// both spread over the cores, shows what the machine allowed; the issue's bound stays netops' own.
// `--cores N` gives netops cores of its own, as the goal assumes (the devices elsewhere): netops and
// the git processes it starts run on cores 0..N-1 (taskset), the lab on the rest, and the CPU bound
// is netops' CPU over its N cores. The notes say which cores netops was allowed, read from /proc.
// `--rounds R` repeats the pair of runs R times, each round in a folder of its own (a new store, new
// state, no pinned key): the rows give each figure's median over the rounds and the notes every
// round's. At 1,000 devices a run's CPU per device varies by some 0.5 ms from run to run on a 2-core
// machine, as much as the goal's margin: one pair of runs cannot tell.
// NETOPS_BENCH_NODE_FLAGS gives the netops runs Node flags: '--cpu-prof --cpu-prof-dir=/abs/dir' writes
// a V8 CPU profile of each run, which `node bench/profile/summarize.mjs FILE...` summarizes by
// where the time goes.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { management } from '../../dist/lab/netns/addressing.js';
import { labEnvironment } from '../../dist/lab/lab-inventory.js';
import { Terminal } from '../../dist/lab/cli/terminal.js';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { childCpuSeconds } from '../harness/child-cpu.mjs';
import { fileSystemNote } from '../harness/file-system.mjs';
import { writeBackupJob, writeJob } from '../harness/lab-inventory.mjs';
import { root } from '../harness/results.mjs';
import { phasesOf } from '../profile/run-record.mjs';
import { startScaleLab, writeScaleInventory } from '../harness/scale-lab.mjs';

export const about = {
  title:
    'Backup of simulated devices over SSH (loopback lab, or the netns scale lab): netops run wall, CPU and RSS',
  baseline: "the devices' latency bound: waves of `parallel` devices x delayed writes per device x latency",
  params: ['devices', 'parallel', 'latencyMs', 'configBytes', 'method', 'lab', 'threads', 'cores', 'rounds'],
  defaults: {
    devices: 200,
    parallel: 50,
    latencyMs: 50,
    configBytes: 50_000,
    method: 'show',
    lab: 'auto',
    threads: 'auto',
    cores: 'all',
    rounds: 1,
  },
  smoke: {
    devices: 4,
    parallel: 2,
    latencyMs: 5,
    configBytes: 5_000,
    method: 'show',
    lab: 'auto',
    threads: 2,
    cores: 'all',
    rounds: 1,
  },
};

/** The most devices `--lab auto` gives the loopback lab (3 listening ports each, beside the clients'). */
const loopbackLabMost = 2_000;

// Every output write of a simulated device waits latencyMs: count them for the lower bound (per run).
let delayedWrites = 0;
const print = Terminal.prototype.print;
Terminal.prototype.print = function (text) {
  if (text !== '') delayedWrites++;
  return print.call(this, text);
};

/** Peak RSS (VmHWM), CPU seconds (utime + stime) and allowed cores of a running process, from /proc. */
function sample(pid, last) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      peakKiB: Math.max(last.peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)),
      cpu: Math.max(last.cpu, processCpu(pid)),
      allowedCores: allowedCores(status) ?? last.allowedCores,
    };
  } catch {
    return last; // the process has ended
  }
}

/** The cores a process may run on (its Cpus_allowed_list), from its /proc status text. */
function allowedCores(status) {
  return /Cpus_allowed_list:\s+(\S+)/.exec(status)?.[1];
}

/** Node flags for the netops child (a profiler's), from NETOPS_BENCH_NODE_FLAGS. */
function profileFlags() {
  return (process.env.NETOPS_BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
}

/** CPU seconds (utime + stime) of a running process, read from /proc; 0 once it has ended. */
function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(stat[11]) + Number(stat[12])) / 100; // clock ticks: USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** This process's CPU seconds: the loopback lab's (its simulators run here, beside the bench's sampling). */
function ownCpu() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * The cores netops gets: `all` (shared with the lab), or N of the machine's, leaving the lab at least
 * one: `{ count, netops, lab }` with taskset's core lists (`labAllowed`, once the lab moved, is /proc's).
 */
function coreSplit(cores) {
  const machine = os.cpus().length;
  if (cores === 'all') return { count: machine };
  const count = Number(cores);
  if (!Number.isInteger(count) || count < 1 || count >= machine)
    throw new Error(
      `--cores ${cores}: expected all, or 1 to ${machine - 1} (this machine has ${machine} cores, and the lab keeps at least one)`,
    );
  const list = (from, to) => (from === to ? String(from) : `${from}-${to}`);
  return { count, netops: list(0, count - 1), lab: list(count, machine - 1) };
}

/**
 * Moves every thread of the lab's processes to its cores (taskset's `-a -p`); returns the cores its
 * first process is allowed, as /proc reads them.
 */
function pinLab(lab, split) {
  if (split.lab === undefined) return undefined;
  const pids = lab.pids();
  for (const pid of pids)
    execFileSync('taskset', ['-a', '-p', '-c', split.lab, String(pid)], { stdio: 'ignore' });
  return allowedCores(readFileSync(`/proc/${pids[0]}/status`, 'utf8'));
}

/** "1 core", "2 cores". */
function coresText(count) {
  return count === 1 ? '1 core' : `${count} cores`;
}

/**
 * `netops run job.yaml` in `dir` against `lab` ({ env, namespace?, cpu(), pids() }), on the cores of
 * `split`: its exit code, wall, CPU (its own and its process tree's), peak RSS, allowed cores, record
 * and phases, and the lab's CPU meanwhile.
 */
async function runNetops(dir, lab, { threads, split }, { cwd = dir, extraArgs = [] } = {}) {
  const started = performance.now();
  const spawnedAt = Date.now();
  const treeBefore = childCpuSeconds();
  const labBefore = lab.cpu();
  // The installed command (package.json bin): the CLI's bundle with its code cache (docs/cli.md).
  const node = [
    process.execPath,
    ...profileFlags(),
    path.join(root, 'dist/cli/bin.cjs'),
    'run',
    'job.yaml',
    '--json',
    '--threads',
    String(threads),
    ...extraArgs,
  ];
  // `ip netns exec` and taskset exec node: the PID sampled below is netops' own.
  const pinned = split.netops === undefined ? node : ['taskset', '-c', split.netops, ...node];
  const [command, ...args] = lab.namespace ? ['ip', 'netns', 'exec', lab.namespace, ...pinned] : pinned;
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      ...lab.env,
      NETOPS_STATE_DIR: path.join(cwd, 'state'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  let usage = { peakKiB: 0, cpu: 0, allowedCores: undefined };
  const poll = setInterval(() => (usage = sample(child.pid, usage)), 50);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const labCpu = lab.cpu() - labBefore;
  const treeCpu = childCpuSeconds() - treeBefore;
  const wall = (performance.now() - started) / 1000;
  const record = JSON.parse(stdout);
  return { code, wall, usage, treeCpu, labCpu, record, phases: phasesOf(record, spawnedAt, wall) };
}

/** One `netops run` of the job, with the latency bound of what the simulators were asked to send meanwhile. */
async function measuredRun(dir, lab, { devices, parallel, latencyMs, threads }, split, cwd = dir) {
  delayedWrites = 0;
  const run = await runNetops(dir, lab, { threads, split }, { cwd });
  // A device's session is sequential, so its delayed writes add up; at most `parallel` devices work at once.
  const perDevice = lab.writesPerDevice ?? delayedWrites / devices;
  const waves = Math.ceil(devices / parallel);
  const latencyBound = (waves * perDevice * latencyMs) / 1000;
  const cpuBound = run.usage.cpu / split.count;
  const machineBound = (run.treeCpu + run.labCpu) / os.cpus().length;
  return { ...run, perDevice, waves, latencyBound, cpuBound, machineBound };
}

/** Issue 16's RSS goals, in MiB: under 300 MB at 1,000 devices, under 600 MB at 10,000. */
function rssGoal(devices) {
  if (devices >= 10_000) return { max: 600e6 / 2 ** 20, text: 'under 600 MB at 10,000' };
  return devices >= 1000 ? { max: 300e6 / 2 ** 20, text: 'under 300 MB at 1,000' } : undefined;
}

function rowsOf(label, m, { devices, parallel }, split) {
  const bound = Math.max(m.latencyBound, m.cpuBound);
  const treeBound = m.treeCpu / split.count;
  return [
    {
      measure: `${label}: wall, ${devices} devices, parallelism ${parallel}`,
      unit: 's',
      netops: m.wall,
      baseline: bound,
      baselineName: m.latencyBound >= m.cpuBound ? 'latency bound' : 'CPU bound',
      goal: { ratioMax: 1.3, text: 'within 1.3x the larger bound' },
    },
    {
      measure: `${label}: CPU per device (netops process)`,
      unit: 'ms',
      netops: (m.usage.cpu * 1000) / devices,
      goal: { max: 5, text: 'at most 5 ms' },
    },
    {
      measure: `${label}: peak RSS (netops process)`,
      unit: 'MiB',
      netops: m.usage.peakKiB / 1024,
      goal: rssGoal(devices),
    },
    { measure: `${label}: CPU of the netops process tree (git included)`, unit: 's', netops: m.treeCpu },
    { measure: `${label}: lab's CPU (simulated devices)`, unit: 's', netops: m.labCpu },
    {
      measure: `${label}: wall against the machine's bound (not the goal's)`,
      unit: 's',
      netops: m.wall,
      baseline: Math.max(m.latencyBound, m.machineBound),
      baselineName: m.latencyBound >= m.machineBound ? 'latency bound' : '(netops + lab CPU) / cores',
    },
    ...(split.netops === undefined
      ? []
      : [
          {
            measure: `${label}: wall against netops' work on its own cores (git included; not the goal's)`,
            unit: 's',
            netops: m.wall,
            baseline: Math.max(m.latencyBound, treeBound),
            baselineName:
              m.latencyBound >= treeBound
                ? 'latency bound'
                : `netops process tree CPU / ${coresText(split.count)}`,
          },
        ]),
  ];
}

function notesOf(label, m, { latencyMs }, split) {
  const cores = os.cpus().length;
  const phases = m.phases
    ? `; wall ${m.wall.toFixed(2)} s = start-up ${m.phases.startup.toFixed(2)} s + hosts ${m.phases.hosts.toFixed(2)} s + after the last host (store commit and maintenance, record) ${m.phases.end.toFixed(2)} s`
    : '';
  return `${label}: exit ${m.code}, ${m.record.summary.changed} changed, ${m.record.summary.ok} unchanged, ${m.record.summary.failed} failed; latency bound ${m.latencyBound.toFixed(2)} s (${m.waves} waves x ${m.perDevice.toFixed(1)} delayed writes x ${latencyMs} ms); CPU bound ${m.cpuBound.toFixed(2)} s (${m.usage.cpu.toFixed(2)} s CPU / ${coresText(split.count)}${split.netops === undefined ? '' : ` of its own: /proc allowed it ${m.usage.allowedCores}, the lab ${split.labAllowed}`}); (netops + lab CPU) / cores ${m.machineBound.toFixed(2)} s ((${m.treeCpu.toFixed(2)} s netops process tree + ${m.labCpu.toFixed(2)} s lab) / ${cores} cores)${phases}`;
}

/** The loopback lab of `devices`, in this process; its devices count their delayed writes. */
async function loopbackLab(dir, { devices, parallel, latencyMs, configBytes, method }) {
  const tftpPort = 20000 + Math.floor(Math.random() * 20000);
  const lab = await startLoopbackLab({
    devices,
    platforms: ['ios', 'nxos'],
    configBytes,
    snmp: false,
    tftpPort,
    faults: { latencyMs },
  });
  writeBackupJob(dir, lab, { parallel, tftpPort, method });
  return {
    name: 'loopback lab',
    env: labEnvironment(lab),
    cpu: ownCpu,
    pids: () => [process.pid],
    close: () => lab.close(),
  };
}

/** Hosts of the warm-up run: enough sessions for V8 to have compiled the lab's hot code. */
const warmUpHosts = 200;

/**
 * One untimed run of up to 200 of the job's hosts, spread over the inventory (so over every
 * simulator process of the netns lab), in a folder of its own (its own store and state). It warms
 * the lab: a simulator's first sessions run while V8 still compiles its code, and a first run that
 * met a lab warmed by two sessions read 0.7-0.9 ms of netops CPU per device more than the rounds
 * after it (1,000 devices, `--cores 1`: 5.37 against 4.46 and 4.37; 6.24 against 5.45 and 5.15),
 * where real devices answer alike from the first session on. And it writes the code cache a user's
 * earlier runs would have left (the bench's own cache folder), so the measured runs start as a
 * nightly cron's run does. A first run after an upgrade compiles what the cache would hold: about
 * 0.26 s more CPU (bench/startup/first-connect.mjs, session 12).
 */
async function warmUp(dir, lab, { threads }, split) {
  const warm = jobFolder(dir, 'warm-up');
  const all = Object.keys(parse(readFileSync(path.join(warm, 'inventory.yaml'), 'utf8')).hosts);
  const step = Math.max(1, Math.floor(all.length / warmUpHosts));
  const hosts = all.filter((_, i) => i % step === 0).slice(0, warmUpHosts);
  const run = await runNetops(
    dir,
    lab,
    { threads, split },
    {
      cwd: warm,
      extraArgs: hosts.flatMap((host) => ['--limit', host]),
    },
  );
  if (run.code !== 0) throw new Error(`the warm-up run exited ${run.code}`);
  rmSync(warm, { recursive: true, force: true });
}

/** A folder of `dir` holding a copy of its inventory and job: a store and state of its own. */
function jobFolder(dir, name) {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  for (const file of ['inventory.yaml', 'job.yaml'])
    copyFileSync(path.join(dir, file), path.join(folder, file));
  return folder;
}

/**
 * The rows of every round as one set. A figure alone is the median over the rounds; a figure beside
 * a baseline (a wall against its bound) is the round whose ratio is the median, with that round's
 * baseline, so the ratio shown is one a round had (of an even count, the higher of the middle two).
 * Rounds give the same measures in the same order.
 */
function medianRows(rounds) {
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = sorted.length / 2;
    return Number.isInteger(half) ? (sorted[half - 1] + sorted[half]) / 2 : sorted[Math.floor(half)];
  };
  return rounds[0].map((row, i) => {
    const each = rounds.map((rows) => rows[i]);
    if (row.baseline === undefined) return { ...row, netops: median(each.map((r) => r.netops)) };
    const byRatio = [...each].sort((a, b) => a.netops / a.baseline - b.netops / b.baseline);
    const middle = byRatio[Math.floor(byRatio.length / 2)];
    return { ...middle };
  });
}

/** Each round's figures of the goal rows, for the notes: "5.10, 4.93, 5.02". */
function roundsNote(label, rounds) {
  const figures = (measure) =>
    rounds
      .map((rows) => rows.find((row) => row.measure.startsWith(`${label}: ${measure}`)))
      .map((row) =>
        row.baseline === undefined ? row.netops.toFixed(2) : `${(row.netops / row.baseline).toFixed(2)}x`,
      )
      .join(', ');
  return `${label}, each of ${rounds.length} rounds (the rows give the medians): CPU per device ${figures('CPU per device')} ms; wall against the larger bound ${figures('wall,')}; peak RSS ${figures('peak RSS')} MiB`;
}

/** Delayed writes per device of `method`, counted on a two-device (ios, nxos) loopback lab. */
async function writesPerDevice({ configBytes, method }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-backup-count-'));
  const params = { devices: 2, parallel: 2, latencyMs: 0, configBytes, method, threads: 1 };
  const lab = await loopbackLab(dir, params);
  try {
    const counted = await measuredRun(dir, lab, params, coreSplit('all'));
    if (counted.code !== 0) throw new Error(`the two-device count run exited ${counted.code}`);
    return counted.perDevice;
  } finally {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The netns lab's scale namespace of `devices`; netops runs in its management namespace. */
async function scaleLab(dir, { devices, parallel, latencyMs, configBytes, method }) {
  const labDir = path.join(dir, 'lab');
  mkdirSync(labDir);
  const lab = await startScaleLab(labDir, { devices, configBytes, latencyMs });
  try {
    await writeScaleInventory(dir, lab.spec);
    // The devices upload to port 69 of the management side's address (netops' own namespace).
    writeJob(dir, { parallel, method, tftpListen: `${management.ipv4}:69` });
    return {
      name: `netns lab scale namespace (${lab.state.processes.filter((p) => p.name.startsWith('scale/sim')).length} simulator processes)`,
      env: lab.secrets,
      namespace: lab.state.management,
      // Every process the lab started (its simulators): none is this one's child.
      cpu: () => lab.state.processes.reduce((sum, p) => sum + processCpu(p.pid), 0),
      pids: () => lab.state.processes.map((p) => p.pid),
      writesPerDevice: await writesPerDevice({ configBytes, method }),
      close: lab.close,
    };
  } catch (error) {
    await lab.close();
    throw error;
  }
}

function labKind({ lab, devices }) {
  if (lab === 'loopback' || lab === 'netns') return lab;
  if (lab !== 'auto') throw new Error(`--lab ${lab}: expected loopback, netns or auto`);
  return devices > loopbackLabMost ? 'netns' : 'loopback';
}

export async function run(params) {
  if (!Number.isInteger(params.rounds) || params.rounds < 1)
    throw new Error(`--rounds ${params.rounds}: expected a whole number of rounds, 1 or more`);
  const kind = labKind(params);
  const split = coreSplit(params.cores);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-backup-'));
  const lab = await (kind === 'netns' ? scaleLab : loopbackLab)(dir, params).catch((error) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  try {
    // The lab's cores as /proc read them once it was moved there, for the notes.
    const placed = { ...split, labAllowed: pinLab(lab, split) };
    await warmUp(dir, lab, params, placed);
    const { method } = params;
    const rounds = [];
    const runNotes = [];
    for (let round = 1; round <= params.rounds; round++) {
      const folder = params.rounds === 1 ? dir : jobFolder(dir, `round-${round}`);
      const first = await measuredRun(dir, lab, params, placed, folder);
      const again = await measuredRun(dir, lab, params, placed, folder);
      rounds.push([
        ...rowsOf(`${method}, first run`, first, params, placed),
        ...rowsOf(`${method}, unchanged`, again, params, placed),
      ]);
      const of = params.rounds === 1 ? '' : ` (round ${round})`;
      runNotes.push(
        notesOf(`first run${of} (every config stored, every host key pinned)`, first, params, placed),
        notesOf(`second run${of} (every config unchanged)`, again, params, placed),
      );
    }
    return {
      parameters: { ...params, lab: kind },
      rows: medianRows(rounds),
      notes: [
        ...(params.rounds === 1
          ? []
          : [roundsNote(`${method}, first run`, rounds), roundsNote(`${method}, unchanged`, rounds)]),
        ...runNotes,
        `lab: ${lab.name}${lab.writesPerDevice === undefined ? '' : `; delayed writes per device counted on a two-device loopback lab in the same run (${lab.writesPerDevice.toFixed(1)})`}`,
        `netops run --threads ${params.threads}, started as installed (dist/cli/bin.cjs: the bundle with its code cache, warmed by an untimed run of up to ${warmUpHosts} hosts as a user's earlier runs would, which warms the lab too)`,
        'CPU and RSS are sampled from /proc every 50 ms (every thread of the netops process): CPU may read up to one sample low.',
        fileSystemNote(dir),
      ],
    };
  } finally {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
    // The loopback lab ran in this process: every core again for what the process does next.
    if (kind === 'loopback') pinLab(lab, { lab: `0-${os.cpus().length - 1}` });
  }
}
