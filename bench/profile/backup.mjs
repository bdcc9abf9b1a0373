// Profiles `netops run` backing up a loopback lab (IOS and NX-OS devices, `show` over SSH, or with
// --method tftp-cli the device's upload to netops' hosted TFTP server, triggered over SSH): two runs,
// the first storing every config (every host key pinned), the second finding them unchanged, each a
// `node --cpu-prof` profile in --out, summarized by ./summarize.mjs; with the exact CPU per device of
// each run (the process's own getrusage at exit, all threads). --wrap runs netops under a command
// instead of the profiler (`--wrap "strace -f -c -o /tmp/sys"`: the system calls of a run; LABEL in it
// becomes the run's label, first or unchanged: `--wrap "perf record -F 997 -g -o /tmp/LABEL.data --"`);
// --node-flags gives netops' node other flags instead of the profiler's (`--node-flags=--trace-deopt`: V8's
// traces, kept with the run's output in OUT/LABEL.stdout).
// NETOPS_DIST=DIR profiles the netops built in DIR (`npx tsc -p tsconfig.build.json --outDir .dist-mine`:
// a build of your own, while a bench of someone else's runs on dist/).
// Not a bench: no result file, no baseline; the machine's load changes the milliseconds, not the shares.
//   node bench/profile/backup.mjs [--devices 300] [--parallel 50] [--latency 20] [--out DIR] [--method tftp-cli]
//                                 [--wrap CMD | --node-flags=FLAGS] [--stacks RE] [--threads N]
// --threads N is netops run's own option (1: every host on the main thread, as before worker threads).
// --lab netns: the netns lab's scale namespace instead (root; every device on its own address, port 22,
// in simulator processes, netops in the management namespace), as `bench backup --lab netns` runs it.
// Run it through the bench lock: `flock /tmp/netops-bench.lock node bench/profile/backup.mjs`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { labEnvironment } from '../../dist/lab/lab-inventory.js';
import { management } from '../../dist/lab/netns/addressing.js';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { writeBackupJob, writeJob } from '../harness/lab-inventory.mjs';
import { root } from '../harness/results.mjs';
import { startScaleLab, writeScaleInventory } from '../harness/scale-lab.mjs';
import { newRunRecord, recordFiles } from './run-record.mjs';
import { summarize } from './summarize.mjs';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '300' },
    parallel: { type: 'string', default: '50' },
    latency: { type: 'string', default: '20' },
    'config-bytes': { type: 'string', default: '50000' },
    out: { type: 'string' },
    wrap: { type: 'string' },
    'node-flags': { type: 'string' },
    stacks: { type: 'string' },
    threads: { type: 'string' },
    lab: { type: 'string', default: 'loopback' },
    method: { type: 'string', default: 'show' },
  },
});
const devices = Number(values.devices);
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(root, 'dist'));
const out = path.resolve(values.out ?? mkdtempSync(path.join(os.tmpdir(), 'netops-profile-')));

/** One `netops run` of the job in `dir`: its exit code, wall and CPU seconds, its profile's folder. */
async function profiledRun(dir, lab, label) {
  const profiles = path.join(out, label);
  mkdirSync(profiles, { recursive: true });
  const cpuFile = path.join(out, `${label}.cpu.json`);
  const node = [process.execPath, '--import', path.join(root, 'bench/profile/cpu-at-exit.mjs')];
  const profiler =
    values['node-flags']?.split(' ') ?? (values.wrap ? [] : ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
  const wrap = values.wrap?.replaceAll('LABEL', label).split(' ') ?? [];
  const argv = [...wrap, ...node, ...profiler, path.join(dist, 'cli/main.js')];
  const started = performance.now();
  const threads = values.threads === undefined ? [] : ['--threads', values.threads];
  // `ip netns exec` execs the rest in the namespace: the process measured is netops' own.
  const [command, ...args] = [...(lab.namespace ? ['ip', 'netns', 'exec', lab.namespace] : []), ...argv];
  // Its record is read from its records folder (runs/ next to the job, as by default), not from stdout.
  const records = path.join(dir, 'runs');
  const recordsBefore = recordFiles(records);
  const child = spawn(command, [...args, 'run', 'job.yaml', '--json', ...threads, '--records', records], {
    cwd: dir,
    env: {
      ...process.env,
      ...lab.env,
      NETOPS_STATE_DIR: path.join(dir, 'state'),
      NETOPS_PROFILE_CPU_FILE: cpuFile,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const wall = (performance.now() - started) / 1000;
  const { user, system } = JSON.parse(readFileSync(cpuFile, 'utf8'));
  writeFileSync(path.join(out, `${label}.stdout`), stdout);
  const summary = newRunRecord(records, recordsBefore).summary;
  return { code, wall, cpu: (user + system) / 1e6, summary, profiles };
}

function report(label, run) {
  const perDevice = ((1000 * run.cpu) / devices).toFixed(2);
  const { changed, ok, failed } = run.summary;
  console.log(
    `\n== ${label}: exit ${run.code}, ${changed} changed, ${ok} unchanged, ${failed} failed; wall ${run.wall.toFixed(1)} s, CPU ${run.cpu.toFixed(2)} s = ${perDevice} ms per device (getrusage, all threads; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  if (values.wrap || values['node-flags']) return;
  const files = readdirSync(run.profiles).map((name) => path.join(run.profiles, name));
  console.log(summarize(files, { devices, top: 25, stacks: values.stacks }));
}

/** The loopback lab of `devices` in this process, its inventory and job written in `dir`. */
async function loopbackLab(dir) {
  // The devices upload to this port (tftp-cli), where the job's server listens.
  const tftpPort = 20000 + Math.floor(Math.random() * 20000);
  const lab = await startLoopbackLab({
    devices,
    platforms: ['ios', 'nxos'],
    configBytes: Number(values['config-bytes']),
    snmp: false,
    tftpPort,
    faults: { latencyMs: Number(values.latency) },
  });
  writeBackupJob(dir, lab, { parallel: Number(values.parallel), method: values.method, tftpPort });
  return { env: labEnvironment(lab), close: () => lab.close() };
}

/** The netns lab's scale namespace of `devices` (simulator processes), its inventory and job written in `dir`. */
async function scaleLab(dir) {
  const labDir = path.join(dir, 'lab');
  mkdirSync(labDir);
  const lab = await startScaleLab(labDir, {
    devices,
    configBytes: Number(values['config-bytes']),
    latencyMs: Number(values.latency),
  });
  try {
    await writeScaleInventory(dir, lab.spec);
    writeJob(dir, {
      parallel: Number(values.parallel),
      method: values.method,
      tftpListen: `${management.ipv4}:69`,
    });
    return { env: lab.secrets, namespace: lab.state.management, close: lab.close };
  } catch (error) {
    await lab.close();
    throw error;
  }
}

if (values.lab !== 'loopback' && values.lab !== 'netns')
  throw new Error(`--lab ${values.lab}: loopback or netns`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-profile-backup-'));
const lab = await (values.lab === 'netns' ? scaleLab : loopbackLab)(dir);
try {
  console.log(
    `${devices} devices (${values.lab} lab), method ${values.method}, parallelism ${values.parallel}, latency ${values.latency} ms; profiles in ${out}`,
  );
  report('first run (every config stored)', await profiledRun(dir, lab, 'first'));
  report('second run (every config unchanged)', await profiledRun(dir, lab, 'unchanged'));
} finally {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
}
