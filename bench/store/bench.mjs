// The store's cost per run at two fleet sizes with one host changed: opening (lock, repairs, the
// snapshot of HEAD), every host's write (the unchanged ones are hashed in-process) and the run's
// commit, tag and maintenance (`close()`), through GitStore as `netops run` drives it. A store whose
// open and commit cost O(changed hosts) costs about the same at 10 hosts and at 10,000.
// Each run is a process of its own (store-run.mjs), holding its fleet as a run of that size holds
// its hosts; the two fleets take turns run by run, so a change in the machine's load meets both.
//   npm run bench -- store [--devices N] [--runs R]   (NETOPS_DIST=dist)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const about = {
  title: 'Store: open, writes and commit of a run with one host changed, small against large fleet',
  baseline: 'the same run on a store of 10 hosts, the two fleets in turns in the same run of the bench',
  params: ['devices', 'runs'],
  defaults: { devices: 10000, runs: 5 },
  smoke: { devices: 40, runs: 1 },
};

const SMALL = 10;
const RUN = fileURLToPath(new URL('./store-run.mjs', import.meta.url));
const execute = promisify(execFile);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const openAndCommit = (m) => m.open + m.commit;

/** Run `run` of the store in `dir` (a fleet of `hosts`), in a process of its own: its figures. */
async function storeRun(dir, hosts, run) {
  const { stdout } = await execute(process.execPath, ['--expose-gc', RUN, dir, String(hosts), String(run)], {
    maxBuffer: 2 ** 20,
  });
  return JSON.parse(stdout);
}

export async function run({ devices, runs }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-store-'));
  try {
    const fleets = [SMALL, devices].map((hosts) => ({
      hosts,
      dir: path.join(dir, `store-${hosts}`),
      runs: [],
    }));
    const [small, large] = fleets;
    // The first run of each store: every config new.
    for (const fleet of fleets) fleet.first = await storeRun(fleet.dir, fleet.hosts, 0);
    for (let round = 1; round <= runs; round++) {
      // Each fleet goes first every other round.
      for (const fleet of round % 2 ? fleets : [...fleets].reverse())
        fleet.runs.push(await storeRun(fleet.dir, fleet.hosts, round));
    }
    const pick = (fleet, figure) => median(fleet.runs.map(figure));
    const ratios = large.runs.map((r, i) => openAndCommit(r) / openAndCommit(small.runs[i]));
    const row = (measure, figure, goal) => ({
      measure: `${measure}, ${devices} hosts, 1 changed (median)`,
      unit: 'ms',
      netops: pick(large, figure),
      baseline: pick(small, figure),
      baselineName: `${SMALL} hosts`,
      ...(goal ? { goal } : {}),
    });
    // The goal's row: the round whose ratio is the median, with its own 10-host baseline.
    const middle = ratios.indexOf(median(ratios));
    return {
      rows: [
        row('open (lock, repairs, snapshot of HEAD)', (r) => r.open),
        row('commit, tag and maintenance (close)', (r) => r.commit),
        {
          measure: `open + commit, ${devices} hosts, 1 changed (round of the median ratio)`,
          unit: 'ms',
          netops: openAndCommit(large.runs[middle]),
          baseline: openAndCommit(small.runs[middle]),
          baselineName: `${SMALL} hosts, same round`,
          goal: { ratioMax: 3, text: 'O(changed hosts): within 3x of 10 hosts' },
        },
        row('open + commit, CPU of netops and git', (r) => r.cpu),
        {
          measure: `every host's write, per host, ${devices} hosts at once (median)`,
          unit: 'ms',
          netops: pick(large, (r) => r.writes) / devices,
          baseline: pick(small, (r) => r.writes) / SMALL,
          baselineName: `${SMALL} hosts`,
        },
      ],
      notes: [
        `open + commit per round, ${devices} against ${SMALL} hosts: ${large.runs
          .map(
            (r, i) =>
              `${openAndCommit(r).toFixed(1)} / ${openAndCommit(small.runs[i]).toFixed(1)} ms (${ratios[i].toFixed(2)}x)`,
          )
          .join(', ')}`,
        `hosts changed per run: ${large.runs.map((r) => r.changed).join(', ')} (at ${devices}), ${small.runs.map((r) => r.changed).join(', ')} (at ${SMALL})`,
        `first run (every config new): ${devices} hosts open ${large.first.open.toFixed(0)} ms, writes ${large.first.writes.toFixed(0)} ms, commit ${large.first.commit.toFixed(0)} ms (open + commit CPU ${large.first.cpu.toFixed(0)} ms)`,
        'Each run is a process of its own holding its fleet; the fleets take turns, each going first every other round. The writes of all hosts start at once (Promise.all), as a run with unbounded concurrency does: none waits for another.',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
