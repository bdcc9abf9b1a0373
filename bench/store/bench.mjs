// The store's cost per run at two fleet sizes with one host changed: opening (lock, repairs, the
// snapshot of HEAD), every host's write (the unchanged ones are hashed in-process) and the run's
// commit, tag and maintenance (`close()`), through GitStore as `netops run` drives it. A store whose
// open and commit cost O(changed hosts) costs about the same at 10 hosts and at 10,000.
//   npm run bench -- store [--devices N]   (NETOPS_DIST=dist)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fleet, nightOfChanges, seeded, text } from '../store-history/fleet.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';

export const about = {
  title: 'Store: open, writes and commit of a run with one host changed, small against large fleet',
  baseline: 'the same run on a store of 10 hosts, same run of the bench',
  params: ['devices', 'runs'],
  defaults: { devices: 10000, runs: 5 },
  smoke: { devices: 40, runs: 1 },
};

const SMALL = 10;
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(here, '../../dist'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * CPU time so far in ms: this process (every thread) and its git children once they ended (the
 * kernel's cutime + cstime, in clock ticks of 10 ms). On a loaded machine the wall of a step grows
 * with the load; its CPU much less, so both are shown.
 */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (user + system) / 1000 + (Number(fields[13]) + Number(fields[14])) * 10;
}

/** One run as `netops run` drives the store: open, every host written at once, close (commit, tag, gc --auto). */
async function oneRun(GitStore, dir, configs, day) {
  const startedAt = new Date(Date.UTC(2026, 0, 1 + day, 2)).toISOString();
  // The bench's own garbage (its copy of the fleet's lines before each night's edit: millions of
  // array slots at 10,000 hosts) is collected before the store is measured, not charged to it.
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
  const counts = { ok: configs.length - changed, changed, failed: 0, skipped: 0 };
  // Likewise the texts the bench made for the writes (in a run they are long gone by its end).
  await collectGarbage();
  const c3 = cpuMs();
  const t3 = performance.now();
  await store.close({
    runId: `${startedAt.replace(/[:.]/g, '-')}-bench`,
    job: 'bench',
    startedAt,
    counts,
    failedHosts: [],
    aborted: false,
  });
  const t4 = performance.now();
  const cpu = c1 - c0 + cpuMs() - c3;
  return { open: t1 - t0, writes: t2 - t1, commit: t4 - t3, cpu, changed };
}

/** A store of `devices` hosts after its first run, then `runs` runs each changing one host: medians in ms. */
async function measure(GitStore, devices, runs) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-store-'));
  try {
    const configs = fleet(devices);
    const first = await oneRun(GitStore, path.join(dir, 'store'), configs, 0);
    const random = seeded(3);
    const samples = [];
    for (let run = 1; run <= runs; run++) {
      // One host changes one line (nightOfChanges picks 1 to 8 hosts: keep the first one's edit only).
      const before = configs.map((c) => [...c.lines]);
      const [host] = nightOfChanges(configs, random);
      configs.forEach((c, i) => {
        if (c.name !== host) c.lines = before[i];
      });
      samples.push(await oneRun(GitStore, path.join(dir, 'store'), configs, run));
    }
    const pick = (key) => median(samples.map((s) => s[key]));
    return {
      first,
      open: pick('open'),
      writes: pick('writes'),
      commit: pick('commit'),
      cpu: pick('cpu'),
      changed: samples.map((s) => s.changed),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ devices, runs }) {
  const { GitStore } = await import(pathToFileURL(path.join(dist, 'store/git-store.js')).href);
  const small = await measure(GitStore, SMALL, runs);
  const large = await measure(GitStore, devices, runs);
  const row = (measure, key, goal) => ({
    measure: `${measure}, ${devices} hosts, 1 changed (median)`,
    unit: 'ms',
    netops: large[key],
    baseline: small[key],
    baselineName: `${SMALL} hosts`,
    ...(goal ? { goal } : {}),
  });
  const openAndCommit = (m) => m.open + m.commit;
  return {
    rows: [
      row('open (lock, repairs, snapshot of HEAD)', 'open'),
      row('commit, tag and maintenance (close)', 'commit'),
      {
        measure: `open + commit, ${devices} hosts, 1 changed (median)`,
        unit: 'ms',
        netops: openAndCommit(large),
        baseline: openAndCommit(small),
        baselineName: `${SMALL} hosts`,
        goal: { ratioMax: 3, text: 'O(changed hosts): within 3x of 10 hosts' },
      },
      {
        measure: `open + commit, CPU of netops and git, ${devices} hosts, 1 changed (median)`,
        unit: 'ms',
        netops: large.cpu,
        baseline: small.cpu,
        baselineName: `${SMALL} hosts`,
      },
      {
        measure: `every host's write, per host, ${devices} hosts at once (median)`,
        unit: 'ms',
        netops: large.writes / devices,
        baseline: small.writes / SMALL,
        baselineName: `${SMALL} hosts`,
      },
    ],
    notes: [
      `hosts changed per run: ${large.changed.join(', ')} (at ${devices}), ${small.changed.join(', ')} (at ${SMALL})`,
      `first run (every config new): ${devices} hosts open ${large.first.open.toFixed(0)} ms, writes ${large.first.writes.toFixed(0)} ms, commit ${large.first.commit.toFixed(0)} ms (open + commit CPU ${large.first.cpu.toFixed(0)} ms)`,
      'The writes of all hosts start at once (Promise.all), as a run with unbounded concurrency does: none waits for another.',
    ],
  };
}
