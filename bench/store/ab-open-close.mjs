// In process, alternating A/B between builds of the store's per-run cost on an existing store: open,
// one host's config changed, close (commit, tag, maintenance), builds taking turns run by run.
// Medians and minimums in ms, and the CPU of netops and its git processes. Make the store first with
// this script's `--make N` (a first run of N hosts of the store bench's fleet), then A/B on it:
//   node --expose-gc bench/store/ab-open-close.mjs --make 10000 /tmp/store-10k
//   flock /tmp/netops-bench.lock node --expose-gc bench/store/ab-open-close.mjs /tmp/store-10k [--runs 20] DIST_A DIST_B
// Unlike `npm run bench -- store`, the process holds no fleet while it measures: its git processes
// are forked from a process of about 60 MB, not 400-500 (a fork costs more the more memory the
// process maps: `git --version` 1.4 ms at 46 MB, 4.4 at 338, 9.5 at 832, median of 15).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { fleet, text } from '../store-history/fleet.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';

const { values, positionals } = parseArgs({
  options: { make: { type: 'string' }, runs: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const [dir, ...dists] = positionals;
const load = async (dist) =>
  (await import(pathToFileURL(path.resolve(dist, 'store/git-store.js')).href)).GitStore;
const totals = (runId, changed) => ({
  runId,
  job: 'ab',
  startedAt: new Date().toISOString(),
  counts: { ok: 0, changed, failed: 0, skipped: 0 },
  failedHosts: [],
  aborted: false,
});

if (values.make) {
  const GitStore = await load(dists[0] ?? 'dist');
  const configs = fleet(Number(values.make));
  const store = await GitStore.open({ dir });
  await Promise.all(configs.map((c) => store.write(`configs/${c.name}.cfg`, text(c))));
  await store.close(totals(`made-${Date.now()}-ab`, configs.length));
  process.exit(0);
}

/** CPU so far in ms: this process and its ended children (clock ticks of 10 ms). */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (user + system) / 1000 + (Number(fields[13]) + Number(fields[14])) * 10;
}

const builds = await Promise.all(dists.map(load));
const file = 'configs/sw001.cfg';
const original = readFileSync(path.join(dir, file), 'utf8');
const samples = dists.map(() => ({ open: [], close: [], cpu: [] }));
let serial = 0;
for (let round = 0; round < Number(values.runs); round++) {
  // Each build goes first every other round.
  const order = builds.map((_, i) => i);
  if (round % 2) order.reverse();
  for (const i of order) {
    await collectGarbage();
    const c0 = cpuMs();
    const t0 = performance.now();
    const store = await builds[i].open({ dir });
    const t1 = performance.now();
    await store.write(file, `${original}! ${serial++}\n`, 'sw001: changed');
    const t2 = performance.now();
    await store.close(totals(`ab-${Date.now()}-${serial}-ab`, 1));
    samples[i].open.push(t1 - t0);
    samples[i].close.push(performance.now() - t2);
    samples[i].cpu.push(cpuMs() - c0);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
dists.forEach((dist, i) => {
  const { open, close, cpu } = samples[i];
  const both = open.map((o, j) => o + close[j]);
  const f = (a) => `${median(a).toFixed(1)} (min ${Math.min(...a).toFixed(1)})`;
  console.log(
    `${dist}: open ${f(open)}, close ${f(close)}, open + close ${f(both)}, CPU ${median(cpu).toFixed(0)}`,
  );
});
