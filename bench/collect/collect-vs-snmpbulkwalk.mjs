// Collect inventory from N lab SNMP agents at concurrency 100 with the `collect` task (system group
// + ENTITY-MIB GETBULK walk + facts in a git store). The first collect writes and commits every
// host's facts; the measured one is the nightly case (nothing changed), compared against the same reads done by parallel net-snmp
// processes (`snmpget` of the system group and `snmpbulkwalk` of entPhysicalEntry, 100 at a time),
// both with max-repetitions 25. Agents run in their own process (bench/collect/agents.mjs).
// Both are warmed up on a few hosts first. The client side's CPU time (this process, or the
// net-snmp processes it spawned) is shown too: on a small machine the agents' process is usually
// what bounds the wall time.
// Run: npm run build && node bench/collect/collect-vs-snmpbulkwalk.mjs [N=1000] [concurrency=100]
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import PQueue from 'p-queue';
import { collect } from '../../dist/tasks/collect.js';

const count = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 100);
const maxRepetitions = 25;
const run = promisify(execFile);
const { AbortController, performance } = globalThis;

const agentsProcess = spawn(
  process.execPath,
  [new URL('./agents.mjs', import.meta.url).pathname, String(count)],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const ports = await new Promise((resolve, reject) => {
  createInterface({ input: agentsProcess.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  agentsProcess.once('exit', (code) => reject(new Error(`agents exited with ${code}`)));
});

const store = await mkdtemp(path.join(tmpdir(), 'netops-bench-collect-'));
const host = (n) => ({
  name: `n7k-${n}`,
  address: '127.0.0.1',
  port: undefined,
  family: undefined,
  platform: 'nxos',
  transport: 'ssh',
  console: undefined,
  snmp: { version: '2c', community: { value: 'public' }, port: ports[n] },
  credentials: undefined,
  ssh: { legacyAlgorithms: false, trustNewHostKey: false },
  groups: ['bench'],
  data: {},
});
const resources = new Map();
const context = (n) => ({
  host: host(n),
  signal: new AbortController().signal,
  job: { name: 'bench', dir: store, settings: { store: { dir: 'store' } } },
  secret: async (ref) => ref.value,
  resource: (key, open) => {
    if (!resources.has(key)) resources.set(key, open());
    return resources.get(key);
  },
  log: () => undefined,
});

/** Closes the run's resources as the runner does: the store commits the facts. */
async function endRun() {
  const counts = { ok: 0, changed: count, failed: 0, skipped: 0 };
  const summary = {
    job: 'bench',
    startedAt: new Date().toISOString(),
    counts,
    changedHosts: [],
    failedHosts: [],
    aborted: false,
  };
  for (const resource of resources.values()) await (await resource).close(summary);
  resources.clear();
}

/** CPU seconds of this process and of its waited-for children (utime+stime, cutime+cstime). */
function cpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = (field) => Number(fields[field - 3]);
  return { self: (ticks(14) + ticks(15)) / 100, children: (ticks(16) + ticks(17)) / 100 };
}

async function timed(label, hosts, work) {
  const queue = new PQueue({ concurrency });
  let failed = 0;
  const before = cpuSeconds();
  const started = performance.now();
  await Promise.all(hosts.map((n) => queue.add(() => work(n).catch(() => failed++))));
  const seconds = (performance.now() - started) / 1000;
  const after = cpuSeconds();
  const clientCpu = after.self - before.self + (after.children - before.children);
  if (label) {
    const rate = (hosts.length / seconds).toFixed(0).padStart(5);
    console.log(
      `${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s wall ${rate} hosts/s  client CPU ${clientCpu.toFixed(2)} s  failed ${failed}`,
    );
  }
  return { seconds, clientCpu };
}

const params = collect.params.parse({ maxRepetitions, timeout: 5000, retries: 1 });
let entities = 0;
const viaCollect = async (n) => {
  const outcome = await collect.run(context(n), params);
  entities += outcome.data.entities;
};

const env = { ...process.env, MIBS: '' };
const systemOids = [1, 2, 3, 4, 5, 6].map((c) => `1.3.6.1.2.1.1.${c}.0`);
let varbinds = 0;
const viaProcesses = async (n) => {
  const target = `udp:127.0.0.1:${ports[n]}`;
  const common = ['-v2c', '-c', 'public', '-On', '-t', '5', '-r', '1'];
  await run('snmpget', [...common, target, ...systemOids], { env });
  const walk = await run(
    'snmpbulkwalk',
    [...common, `-Cr${maxRepetitions}`, target, '1.3.6.1.2.1.47.1.1.1.1'],
    { env, maxBuffer: 16 << 20 },
  );
  varbinds += walk.stdout.split('\n').filter(Boolean).length;
};

const all = ports.map((_, n) => n);
const warm = all.slice(0, Math.min(50, count));
await timed(undefined, warm, viaProcesses);
await timed('first collect (writes, git objects)', all, viaCollect);
await endRun();
entities = 0;
varbinds = 0;
const ours = await timed('netops collect (one process)', all, viaCollect);
const theirs = await timed('snmpget + snmpbulkwalk processes', all, viaProcesses);

console.log(
  `agents ${count} (lab agent, one process), concurrency ${concurrency}, max-repetitions ${maxRepetitions}`,
);
console.log(`entities stored ${entities}; varbinds walked by snmpbulkwalk ${varbinds}`);
console.log(
  `processes / netops: wall ${(theirs.seconds / ours.seconds).toFixed(2)}x, client CPU ${(theirs.clientCpu / ours.clientCpu).toFixed(2)}x`,
);

agentsProcess.stdin.end();
await new Promise((resolve) => agentsProcess.once('exit', resolve));
await rm(store, { recursive: true, force: true });
