// One run of the store bench (bench.mjs) in a process of its own, as `netops run` drives the store:
// open, every host's write at once, close (commit, tag, maintenance). A process per run lets the
// bench take the small and the large fleet in turns, each in a process of the size a run of that
// fleet has. Prints the run's figures as JSON: open, writes and commit in ms, their CPU, hosts changed.
//   node --expose-gc bench/store/store-run.mjs STORE HOSTS RUN   (RUN 0: the first run, every config new;
//   each later run changes one line of the first host)   NETOPS_DIST=dist
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childCpuSeconds } from '../harness/child-cpu.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';
import { benchRunTotals } from '../harness/run-totals.mjs';
import { fleet, text } from '../store-history/fleet.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(here, '../../dist'));
const { GitStore } = await import(pathToFileURL(path.join(dist, 'store/git-store.js')).href);

/**
 * CPU time so far in ms: this process (every thread) and its git children once they ended. On a
 * loaded machine the wall of a step grows with the load; its CPU much less, so both are shown.
 */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000 + childCpuSeconds() * 1000;
}

const [dir, hosts, runText] = process.argv.slice(2);
const run = Number(runText);
const configs = fleet(Number(hosts));
if (run > 0) {
  // One host changes one line, another value each run: exactly one host changed per run.
  const [first] = configs;
  const at = first.lines.findIndex((line) => line.startsWith(' description '));
  first.lines[at] = `${first.lines[at]} (bench run ${run})`;
}
const startedAt = new Date(Date.UTC(2026, 0, 1 + run, 2)).toISOString();
// The bench's own garbage (the fleet's texts made above) is collected, and its sweeping over,
// before the store is measured.
await collectGarbage();
const c0 = cpuMs();
const t0 = performance.now();
const store = await GitStore.open({ dir });
const t1 = performance.now();
const c1 = cpuMs();
const written = await Promise.all(
  configs.map((c) => store.write(`configs/${c.name}.cfg`, text(c), `${c.name}: changed`)),
);
const t2 = performance.now();
const changed = written.filter((w) => w.changed).length;
await collectGarbage();
const c3 = cpuMs();
const t3 = performance.now();
await store.close(benchRunTotals(startedAt, configs.length, changed));
const t4 = performance.now();
process.stdout.write(
  `${JSON.stringify({ open: t1 - t0, writes: t2 - t1, commit: t4 - t3, cpu: c1 - c0 + cpuMs() - c3, changed })}\n`,
);
