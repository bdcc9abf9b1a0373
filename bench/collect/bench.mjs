// SNMP collect of many agents: `netops run` of a `collect` job (system group + ENTITY-MIB GETBULK walk
// + facts in the git store) against the same reads by parallel net-snmp processes (`snmpget` of the
// system group and `snmpbulkwalk` of entPhysicalEntry per host, `parallel` at a time), both with
// max-repetitions 25, same agents (bench/collect/agents.mjs, their own process), same run. The
// measured netops run is the nightly case (facts unchanged) after a first run that wrote them. Each
// side runs `rounds` times, in turns, the order swapped every round; the goal holds in EVERY round.
//   npm run bench -- collect --devices 1000 --parallel 100
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import PQueue from 'p-queue';
import { stringify } from 'yaml';
import { childCpuSeconds } from '../harness/child-cpu.mjs';
import { root } from '../harness/results.mjs';
import { timedProcess } from '../harness/timed-process.mjs';

export const about = {
  title: 'SNMP collect (system group + ENTITY-MIB) against parallel snmpget + snmpbulkwalk',
  baseline:
    'snmpget + snmpbulkwalk processes, `parallel` at a time, on the same agents in the same run (rounds in turns)',
  params: ['devices', 'parallel'],
  defaults: { devices: 1000, parallel: 100, rounds: 3 },
  smoke: { devices: 5, parallel: 2, rounds: 1 },
};

const maxRepetitions = 25;
const community = 'public';
const execFileAsync = promisify(execFile);

/** CPU seconds of another process (utime + stime), to show when the agents bound the wall time. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startAgents(count) {
  const child = spawn(process.execPath, [new URL('./agents.mjs', import.meta.url).pathname, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ports = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`agents exited with ${code}`)));
  });
  const close = async () => {
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { pid: child.pid, ports, close };
}

function writeJob(dir, ports, parallel) {
  const hosts = Object.fromEntries(
    ports.map((port, n) => [
      `n7k-${n}`,
      { address: '127.0.0.1', snmp: { version: '2c', community: { env: 'BENCH_SNMP_COMMUNITY' }, port } },
    ]),
  );
  writeFileSync(
    path.join(dir, 'inventory.yaml'),
    stringify({ groups: { nxos: { platform: 'nxos' } }, hosts }),
  );
  writeFileSync(
    path.join(dir, 'job.yaml'),
    stringify({
      inventory: 'inventory.yaml',
      concurrency: parallel,
      store: { dir: 'store' },
      steps: [{ task: 'collect', params: { maxRepetitions, timeout: 5000, retries: 1 } }],
    }),
  );
}

async function viaNetops(dir) {
  const run = await timedProcess(
    process.execPath,
    // As installed (package.json bin): the bundle with its code cache, kept in the bench's folder.
    [path.join(root, 'dist/cli/bin.cjs'), 'run', 'job.yaml', '--json'],
    {
      cwd: dir,
      env: {
        BENCH_SNMP_COMMUNITY: community,
        NETOPS_STATE_DIR: path.join(dir, 'state'),
        XDG_CACHE_HOME: path.join(dir, 'cache'),
      },
    },
  );
  const record = JSON.parse(run.stdout);
  return {
    ...run,
    done: record.summary.ok + record.summary.changed,
    failed: record.summary.failed,
    phases: phases(record),
  };
}

/** Where a netops run's time went: before the first host started, the hosts, after the last ended. */
function phases(record) {
  const steps = record.hosts.flatMap((h) => h.steps).filter((s) => s.startedAt);
  if (steps.length === 0) return undefined;
  const at = (iso) => Date.parse(iso) - Date.parse(record.startedAt);
  const starts = steps.map((s) => at(s.startedAt));
  const ends = steps.map((s) => at(s.startedAt) + s.durationMs);
  const durations = steps.map((s) => s.durationMs).sort((a, b) => a - b);
  return {
    beforeHosts: Math.min(...starts) / 1000,
    hosts: (Math.max(...ends) - Math.min(...starts)) / 1000,
    afterHosts: (record.durationMs - Math.max(...ends)) / 1000,
    medianHost: durations[Math.floor(durations.length / 2)] / 1000,
    slowestHost: durations.at(-1) / 1000,
    retried: steps.filter((s) => s.attempts > 1).length,
  };
}

const phaseText = (p) =>
  p
    ? `[record: ${p.beforeHosts.toFixed(2)} s to the first host, hosts ${p.hosts.toFixed(2)} s (median ${(p.medianHost * 1000).toFixed(0)} ms, slowest ${p.slowestHost.toFixed(2)} s, ${p.retried} retried), ${p.afterHosts.toFixed(2)} s after]`
    : '';

async function viaProcesses(ports, parallel) {
  const env = { ...process.env, MIBS: '' };
  const common = ['-v2c', '-c', community, '-On', '-t', '5', '-r', '1'];
  const systemOids = [1, 2, 3, 4, 5, 6].map((c) => `1.3.6.1.2.1.1.${c}.0`);
  const queue = new PQueue({ concurrency: parallel });
  let failed = 0;
  const one = async (port) => {
    const target = `udp:127.0.0.1:${port}`;
    await execFileAsync('snmpget', [...common, target, ...systemOids], { env });
    const walk = [...common, `-Cr${maxRepetitions}`, target, '1.3.6.1.2.1.47.1.1.1.1'];
    await execFileAsync('snmpbulkwalk', walk, { env, maxBuffer: 16 << 20 });
  };
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  await Promise.all(ports.map((port) => queue.add(() => one(port).catch(() => failed++))));
  const wall = (performance.now() - started) / 1000;
  return { wall, cpu: childCpuSeconds() - cpuBefore, done: ports.length - failed, failed };
}

/** One side's run with the agents' CPU in it. */
async function measured(agents, side) {
  const before = cpuOf(agents.pid);
  const result = await side();
  return { ...result, agentsCpu: cpuOf(agents.pid) - before, load: os.loadavg()[0] };
}

export async function run({ devices, parallel, rounds }) {
  const agents = await startAgents(devices);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-collect-'));
  try {
    writeJob(dir, agents.ports, parallel);
    const first = await viaNetops(dir); // writes and commits every host's facts
    await viaProcesses(agents.ports.slice(0, 50), parallel); // warms the page cache for net-snmp
    const results = [];
    for (let round = 0; round < rounds; round++) {
      const sides = [
        () => measured(agents, () => viaNetops(dir)),
        () => measured(agents, () => viaProcesses(agents.ports, parallel)),
      ];
      const [a, b] = await (round % 2 ? sides.reverse() : sides).reduce(
        async (done, side) => [...(await done), await side()],
        Promise.resolve([]),
      );
      results.push(round % 2 ? { netops: b, processes: a } : { netops: a, processes: b });
    }
    return { rows: rows(results, devices, parallel), notes: notes(results, first, devices) };
  } finally {
    await agents.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (side, devices) => devices / side.wall;

function rows(results, devices, parallel) {
  const ratios = results.map((r) => rate(r.netops, devices) / rate(r.processes, devices));
  const worst = results[ratios.indexOf(Math.min(...ratios))];
  const median = [...results].sort(
    (x, y) =>
      rate(x.netops, devices) / rate(x.processes, devices) -
      rate(y.netops, devices) / rate(y.processes, devices),
  )[Math.floor(results.length / 2)];
  const row = (measure, r, unit, figure, goal) => ({
    measure,
    unit,
    netops: figure(r.netops),
    baseline: figure(r.processes),
    baselineName: 'snmpget + snmpbulkwalk',
    ...(goal ? { goal } : {}),
  });
  const perSecond = (side) => rate(side, devices);
  return [
    row(
      `throughput, ${devices} agents, parallelism ${parallel}, worst of ${results.length} rounds`,
      worst,
      'hosts/s',
      perSecond,
      {
        ratioMin: 1.2,
        text: 'at least 1.2x in every run',
      },
    ),
    row(`throughput, median round`, median, 'hosts/s', perSecond),
    row('client CPU per host, median round', median, 'ms', (side) => (side.cpu * 1000) / devices),
    row("agents' CPU per host, median round", median, 'ms', (side) => (side.agentsCpu * 1000) / devices),
    row('hosts read, worst round', worst, '', (side) => side.done),
  ];
}

function notes(results, first, devices) {
  return [
    `first netops run (writes every host's facts, commits): ${first.wall.toFixed(2)} s, ${first.done} hosts, ${first.failed} failed`,
    ...results.map(
      ({ netops, processes }, i) =>
        `round ${i + 1}: netops ${netops.wall.toFixed(2)} s (CPU ${netops.cpu.toFixed(2)} s, agents ${netops.agentsCpu.toFixed(2)} s, ${netops.failed} failed, load ${netops.load.toFixed(1)}) ${phaseText(netops.phases)}, ` +
        `processes ${processes.wall.toFixed(2)} s (CPU ${processes.cpu.toFixed(2)} s, agents ${processes.agentsCpu.toFixed(2)} s, ${processes.failed} failed, load ${processes.load.toFixed(1)}): ` +
        `${(rate(netops, devices) / rate(processes, devices)).toFixed(2)}x`,
    ),
    'netops is measured as `netops run JOB` (start-up, inventory, store open and commit included); the processes only read.',
  ];
}
