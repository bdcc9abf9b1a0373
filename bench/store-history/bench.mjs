// The store after a year of nightly runs: its size, and how fast `git log -p configs/HOST.cfg`
// reads a host's history, on the repository netops keeps (maintenance after each run) against the
// same history left as git would without it (every object loose), measured in the same run.
//   npm run bench -- store-history   (NETOPS_DIST=dist)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fleet, nightOfChanges, seeded, text } from './fleet.mjs';

export const about = {
  title: 'Store history: a year of nightly runs, repository size and git log -p',
  baseline: 'the same history with every object loose (git without maintenance), same run',
  params: ['nights', 'devices', 'runs'],
  defaults: { nights: 365, devices: 200, runs: 5 },
  smoke: { nights: 8, devices: 20, runs: 1 },
};

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(here, '../../dist'));

const git = (dir, ...args) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });

function bytesUnder(folder) {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** The year, night by night, through GitStore's write and commit path; returns changes per host. */
async function buildYear(dir, nights, devices) {
  const { GitStore } = await import(pathToFileURL(path.join(dist, 'store/git-store.js')).href);
  const configs = fleet(devices);
  const random = seeded(2);
  const changes = new Map(configs.map((c) => [c.name, 0]));
  const store = await GitStore.open({ dir });
  const started = performance.now();
  for (let day = 0; day < nights; day++) {
    if (day > 0) for (const host of nightOfChanges(configs, random)) changes.set(host, changes.get(host) + 1);
    const startedAt = new Date(Date.UTC(2026, 0, 1 + day, 2)).toISOString();
    await Promise.all(configs.map((c) => store.write(`configs/${c.name}.cfg`, text(c))));
    const counts = { ok: 0, changed: 0, failed: 0, skipped: 0 };
    await store.commit({
      runId: `${startedAt.replace(/[:.]/g, '-')}-nightly`,
      job: 'nightly',
      startedAt,
      counts,
      failedHosts: [],
      aborted: false,
    });
    await store.maintain();
  }
  const msPerNight = (performance.now() - started) / nights;
  await store.release();
  return { changes, msPerNight };
}

/** The same commits with every object loose: what git alone would have kept. */
function unpackedCopy(dir, copy) {
  git(os.tmpdir(), 'init', '--quiet', '--initial-branch=main', copy);
  const packs = path.join(dir, '.git/objects/pack');
  for (const name of readdirSync(packs).filter((n) => n.endsWith('.pack'))) {
    execFileSync('git', ['-C', copy, 'unpack-objects', '-q'], {
      input: readFileSync(path.join(packs, name)),
    });
  }
  // Objects still loose in the kept store are copied as they are.
  // `DIR/.`: cp copies the folder's contents (path.join would drop the `.`).
  execFileSync('cp', [
    '-r',
    '--no-clobber',
    `${path.join(dir, '.git/objects')}/.`,
    path.join(copy, '.git/objects'),
  ]);
  rmSync(path.join(copy, '.git/objects/pack'), { recursive: true, force: true });
  git(copy, 'update-ref', 'refs/heads/main', git(dir, 'rev-parse', 'HEAD').trim());
}

function medianMs(runs, work) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

export async function run({ nights, devices, runs }) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-store-history-'));
  try {
    const dir = path.join(base, 'store');
    const { changes, msPerNight } = await buildYear(dir, nights, devices);
    const loose = path.join(base, 'loose');
    unpackedCopy(dir, loose);
    const [busiest] = [...changes].sort((a, b) => b[1] - a[1]);
    const quiet = [...changes].find(([, n]) => n === 0) ?? [...changes].sort((a, b) => a[1] - b[1])[0];
    const logP = (repo, host) => () => git(repo, 'log', '-p', '--', `configs/${host}.cfg`);
    const rows = [
      {
        measure: `repository size after ${nights} nights of ${devices} devices`,
        unit: 'MiB',
        netops: bytesUnder(path.join(dir, '.git')) / 2 ** 20,
        baseline: bytesUnder(path.join(loose, '.git')) / 2 ** 20,
        baselineName: 'all objects loose',
      },
    ];
    for (const [host, count] of [busiest, quiet]) {
      rows.push({
        measure: `git log -p configs/${host}.cfg (${count} changes in ${nights} nights)`,
        unit: 'ms',
        netops: medianMs(runs, logP(dir, host)),
        baseline: medianMs(runs, logP(loose, host)),
        baselineName: 'all objects loose',
      });
    }
    rows.push({
      measure: 'one night through GitStore (write all, commit, tag, maintenance)',
      unit: 'ms',
      netops: msPerNight,
    });
    const hostChanges = [...changes.values()].reduce((a, b) => a + b, 0);
    return {
      rows,
      notes: [`${hostChanges} host changes over the year; git log -p medians of ${runs} runs.`],
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
