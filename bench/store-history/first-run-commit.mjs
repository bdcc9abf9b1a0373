// The store's side of a first run, builds alternating round by round: N new lab configs written into
// a fresh store at a run's pace (P at a time, R a second), then the run's end (`close()`: the pack's
// tail, staging, commit, tag, maintenance). Prints per build the end's wall, and the CPU of the store's
// git processes (the whole run's: fast-import works while the copies are written) and of this process.
//   node --expose-gc bench/store-history/first-run-commit.mjs [--hosts 1000] [--rate 130] [--rounds 4] BUILD...
// e.g. .dist-before .dist-after (`npx tsc -p tsconfig.build.json --outDir .dist-NAME`). No lock needed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { childCpuSeconds } from '../harness/child-cpu.mjs';
import { root } from '../harness/results.mjs';
import { labDevices } from '../store/lab-configs.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    hosts: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '130' },
    parallel: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '4' },
  },
});
const builds = positionals.length > 0 ? positionals : ['dist'];
const hosts = Number(values.hosts);
const rate = Number(values.rate);
const parallel = Number(values.parallel);
const stores = await Promise.all(
  builds.map((build) => import(pathToFileURL(path.resolve(root, build, 'store/git-store.js')).href)),
);
const configs = labDevices(hosts, 50_000).map((d) => ({ file: `configs/${d.name}.cfg`, text: d.body }));
const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const totals = { ok: 0, changed: hosts, failed: 0, skipped: 0 };

async function round(GitStore) {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'netops-first-commit-')), 'store');
  try {
    await collectGarbage();
    const git0 = childCpuSeconds();
    const own0 = ownCpu();
    const store = await GitStore.open({ dir });
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < configs.length; i = next++) {
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await store.write(configs[i].file, configs[i].text, `${configs[i].file}: first`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    const end0 = performance.now();
    await store.close({
      job: 'bench',
      startedAt: new Date().toISOString(),
      counts: totals,
      failedHosts: [],
      aborted: false,
      runId: 'bench',
    });
    const endMs = performance.now() - end0;
    return { endMs, gitS: childCpuSeconds() - git0, ownS: ownCpu() - own0 };
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

const results = builds.map(() => []);
for (let r = 0; r < Number(values.rounds); r++) {
  for (const i of r % 2 === 0 ? builds.keys() : [...builds.keys()].reverse()) {
    const m = await round(stores[i].GitStore);
    results[i].push(m);
    console.log(
      `round ${r} ${builds[i]}: end ${m.endMs.toFixed(0)} ms, git CPU ${m.gitS.toFixed(2)} s, this process ${m.ownS.toFixed(2)} s, load ${os.loadavg()[0].toFixed(1)}`,
    );
  }
}
const list = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
builds.forEach((build, i) =>
  console.log(
    `${build}: end ms ${list(results[i].map((m) => m.endMs))}; git CPU ms ${list(results[i].map((m) => m.gitS * 1000))}`,
  ),
);
