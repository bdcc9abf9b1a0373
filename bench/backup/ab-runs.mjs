// A/B of whole `netops run` backups between builds and Node flags, on one loopback lab: the variants
// alternate round by round (A B, then B A), each round a first run (a fresh store and known hosts:
// every config stored) then an unchanged run. CPU per device is the netops process's own getrusage
// at exit (every thread), and beside it its child processes' (the store's git: the process tree's
// CPU from /proc/self/stat cutime + cstime, less netops' own) and where the wall went (start-up,
// the hosts, the end after the last host: the store's commit and maintenance, the record); with `--trace-gc-nvp` among a variant's flags the line also gives the GC's
// work as V8 counts it (scavenges, bytes that survived and were promoted): unlike CPU, those do
// not move with the machine's load. Not a bench: no result file; run it through the bench lock.
//   flock /tmp/netops-bench.lock node bench/backup/ab-runs.mjs [--devices 1000] [--parallel 100]
//     [--latency 20] [--rounds 3] [--method show|tftp-cli] 'LABEL=DIST[|NODE FLAGS[|METHOD]]' ...
// e.g. 'before=.dist-before' 'after=.dist-after' or 'def=dist|--trace-gc-nvp' 'semi32=dist|--trace-gc-nvp --max-semi-space-size=32'
// --method is the backup method of every variant (show by default; tftp-cli: the devices upload to
// the job's hosted TFTP server); a variant's own METHOD overrides it: 'show=dist||show' 'tftp=dist||tftp-cli'
// compares the two methods on one build.
// (build one with `npx tsc -p tsconfig.build.json --outDir .dist-mine`). The lab is dist/'s, the same for every variant.
// Each variant's netops starts as installed: DIST/cli/bin.cjs, which runs the CLI's bundle with its V8
// code cache when DIST has one (`npm run build`, or `npx tsc -p tsconfig.build.json --outDir .dist-mine
// && node scripts/bundle.mjs .dist-mine`), else main.js (a build by tsc alone). The cache is kept in a
// folder of the bench's own per variant (XDG_CACHE_HOME), written by an untimed run of two hosts before
// the rounds, as a user's earlier runs would have left it. The run record is read from the file the run
// writes in its records folder, not from stdout, which V8's traces share (bench/profile/run-record.mjs).
// --warm-up: each run's CPU per session by stretch of the run (the first hundreds of hosts against the
// later ones), main thread and the others apart (bench/profile/timeline-at-exit.mjs).
// --keep-folders: each round's store and state are removed at the end, not before the next round. On a
// file system without a journal (this bench machine's), ext4 passes over every inode of the block group
// deleted in the last 1-6 minutes at each file creation, so a first run right after the last round's
// thousands of files were removed pays for them in every new config and explanation it creates.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { labEnvironment } from '../../dist/lab/lab-inventory.js';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { writeBackupJob } from '../harness/lab-inventory.mjs';
import { childCpuSeconds } from '../harness/child-cpu.mjs';
import { root } from '../harness/results.mjs';
import { newRunRecord, phasesOf, recordFiles } from '../profile/run-record.mjs';
import { warmUpWindows } from '../profile/timeline-at-exit.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    devices: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '100' },
    latency: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    'warm-up': { type: 'boolean', default: false },
    'keep-folders': { type: 'boolean', default: false },
    method: { type: 'string', default: 'show' },
  },
});
const devices = Number(values.devices);
const variants = positionals.map((arg) => {
  const [label, rest = ''] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  const [dist = 'dist', flags = '', method = ''] = rest.split('|');
  return {
    label,
    dist: path.resolve(root, dist),
    flags: flags.split(' ').filter(Boolean),
    method: method || values.method,
    cache: '',
  };
});
if (variants.length === 0 || variants.some((v) => v.label === '')) {
  console.error(
    "give variants as 'LABEL=DIST[|NODE FLAGS[|METHOD]]', e.g. 'before=.dist-before' 'after=dist'",
  );
  process.exit(2);
}

/** The GC work V8 reports with --trace-gc-nvp, summed over the run (undefined without that flag). */
function gcWork(stdout) {
  const gc = { scavenges: 0, survivedMB: 0, promotedMB: 0, markCompacts: 0 };
  for (const line of stdout.split('\n')) {
    const kind = / gc=(\w+) /.exec(line)?.[1];
    if (!kind || !line.includes(' pause=')) continue;
    const field = (name) => Number(new RegExp(` ${name}=(\\d+)`).exec(line)?.[1] ?? 0) / 2 ** 20;
    if (kind === 's') {
      gc.scavenges++;
      gc.survivedMB += field('new_space_survived');
      gc.promotedMB += field('promoted');
    } else gc.markCompacts++;
  }
  return gc.scavenges + gc.markCompacts === 0 ? undefined : gc;
}

/**
 * One `netops run` of the job in `dir` by `variant`: exit code, wall, CPU per device, peak RSS, summary,
 * GC work. Its records go to DIR/runs (as by default: runs/ next to the job file), read from there.
 * `limit`: `--limit HOST` arguments (the warm-up's), the timeline then not read.
 */
async function run(variant, dir, env, limit = []) {
  const cpuFile = path.join(dir, 'cpu.json');
  const timelineFile = path.join(dir, 'timeline.json');
  const records = path.join(dir, 'runs');
  const recordsBefore = recordFiles(records);
  const argv = [
    '--import',
    path.join(root, 'bench/profile/cpu-at-exit.mjs'),
    ...(values['warm-up'] ? ['--import', path.join(root, 'bench/profile/timeline-at-exit.mjs')] : []),
    ...variant.flags,
    path.join(variant.dist, 'cli/bin.cjs'),
    ...['run', 'job.yaml', '--json', '--threads', '1', '--records', records, ...limit],
  ];
  const started = performance.now();
  const spawnedAt = Date.now();
  const treeBefore = childCpuSeconds();
  const child = spawn(process.execPath, argv, {
    cwd: dir,
    env: {
      ...process.env,
      ...env,
      NETOPS_STATE_DIR: path.join(dir, 'state'),
      XDG_CACHE_HOME: variant.cache,
      NETOPS_PROFILE_CPU_FILE: cpuFile,
      ...(values['warm-up'] ? { NETOPS_PROFILE_TIMELINE_FILE: timelineFile } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      peakKiB = Math.max(peakKiB, Number(hwm?.[1] ?? 0));
    } catch {
      // ended
    }
  }, 100);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const { user, system } = JSON.parse(readFileSync(cpuFile, 'utf8'));
  const treeCpu = childCpuSeconds() - treeBefore;
  const record = newRunRecord(records, recordsBefore);
  const summary = record.summary;
  const wall = (performance.now() - started) / 1000;
  return {
    code,
    wall,
    phases: phasesOf(record, spawnedAt, wall),
    cpuMs: (user + system) / 1000 / devices,
    childCpu: Math.max(0, treeCpu - (user + system) / 1e6),
    peakMiB: peakKiB / 1024,
    summary,
    gc: gcWork(stdout),
    warmUp:
      values['warm-up'] && limit.length === 0
        ? warmUp(JSON.parse(readFileSync(timelineFile, 'utf8')))
        : undefined,
  };
}

/**
 * One untimed run of two of the lab's hosts by `variant`, in a folder of its own (its own store and
 * state): it writes the code cache in the variant's cache folder, so the measured runs start as a
 * nightly cron's run does (as bench/backup/bench.mjs warms its own).
 */
async function warmUpCache(variant, env) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-ab-runs-warm-'));
  try {
    writeVariantJob(dir, variant);
    const hosts = Object.keys(parse(readFileSync(path.join(dir, 'inventory.yaml'), 'utf8')).hosts).slice(
      0,
      2,
    );
    const result = await run(
      variant,
      dir,
      env,
      hosts.flatMap((host) => ['--limit', host]),
    );
    if (result.code !== 0) throw new Error(`${variant.label}: the warm-up run exited ${result.code}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU per session (main thread + others) by stretch of connections: P, 2P, 3P, 5P, 7P, 9P, all (P sessions at a time). */
function warmUp(samples) {
  const p = Number(values.parallel);
  const edges = [...new Set([p, 2 * p, 3 * p, 5 * p, 7 * p, 9 * p].filter((n) => n < devices)), devices];
  const { startMs, endMs, windows } = warmUpWindows(samples, edges);
  const stretches = windows.map(
    (w) => `${w.from}-${w.to} ${w.ms.toFixed(1)} (${w.mainMs.toFixed(1)} + ${w.otherMs.toFixed(1)})`,
  );
  const { scavenges, scavengeMs, majors, majorMs } = samples.at(-1);
  const gc = `GC pauses: ${scavenges} scavenges ${scavengeMs.toFixed(0)} ms, ${majors} mark-compact or incremental ${majorMs.toFixed(0)} ms`;
  return `  CPU before the first session ${startMs} ms, after the last connection ${endMs} ms; per session (main + other threads) by connections ${stretches.join(', ')}; ${gc}`;
}

function line(round, label, kind, r) {
  const { changed, ok, failed } = r.summary;
  const gc = r.gc
    ? `; GC ${r.gc.scavenges} scavenges (survived ${r.gc.survivedMB.toFixed(0)} MB, promoted ${r.gc.promotedMB.toFixed(0)} MB), ${r.gc.markCompacts} mark-compacts`
    : '';
  const warm = r.warmUp ? `\n${r.warmUp}` : '';
  const p = r.phases;
  const phases = p
    ? ` (start-up ${p.startup.toFixed(2)} + hosts ${p.hosts.toFixed(2)} + end ${p.end.toFixed(2)})`
    : '';
  return `round ${round} ${label} ${kind}: exit ${r.code} (${changed} changed, ${ok} unchanged, ${failed} failed), wall ${r.wall.toFixed(1)} s${phases}, CPU ${r.cpuMs.toFixed(2)} ms/device, children (git) ${r.childCpu.toFixed(2)} s, RSS ${r.peakMiB.toFixed(0)} MiB, load ${os.loadavg()[0].toFixed(1)}${gc}${warm}`;
}

/** The backup job of `variant` in `dir`: its method, the hosted TFTP server on the port the devices upload to. */
function writeVariantJob(dir, variant) {
  writeBackupJob(dir, lab, { parallel: Number(values.parallel), method: variant.method, tftpPort });
}

const tftpPort = 20000 + Math.floor(Math.random() * 20000);
const lab = await startLoopbackLab({
  devices,
  platforms: ['ios', 'nxos'],
  configBytes: 50_000,
  snmp: false,
  tftpPort,
  faults: { latencyMs: Number(values.latency) },
});
const cpu = new Map(
  variants.map((v) => [
    v.label,
    { first: [], unchanged: [], firstGit: [], firstEnd: [], unchangedGit: [], unchangedEnd: [] },
  ]),
);
const caches = mkdtempSync(path.join(os.tmpdir(), 'netops-ab-runs-cache-'));
/** Round folders left for the end (--keep-folders). */
const kept = [];
try {
  for (const variant of variants) {
    variant.cache = path.join(caches, String(variants.indexOf(variant)));
    mkdirSync(variant.cache, { mode: 0o700 });
    await warmUpCache(variant, labEnvironment(lab));
  }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-ab-runs-'));
      try {
        writeVariantJob(dir, variant);
        for (const kind of ['first', 'unchanged']) {
          const result = await run(variant, dir, labEnvironment(lab));
          const runs = cpu.get(variant.label);
          runs[kind].push(result.cpuMs);
          runs[`${kind}Git`].push(result.childCpu);
          runs[`${kind}End`].push(result.phases?.end ?? NaN);
          console.log(line(round, variant.label, kind, result));
        }
      } finally {
        if (values['keep-folders']) kept.push(dir);
        else rmSync(dir, { recursive: true, force: true });
      }
    }
  }
} finally {
  await lab.close();
  for (const dir of [...kept, caches]) rmSync(dir, { recursive: true, force: true });
}
for (const [label, runs] of cpu) {
  const list = (xs) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`${label}: CPU ms/device, first ${list(runs.first)}; unchanged ${list(runs.unchanged)}`);
  console.log(
    `${label}: children (git) CPU s, first ${list(runs.firstGit)}; unchanged ${list(runs.unchangedGit)}; end after the last host s, first ${list(runs.firstEnd)}; unchanged ${list(runs.unchangedEnd)}`,
  );
}
