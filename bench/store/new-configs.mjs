// What a new config costs the store beyond an unchanged one, in process, A/B between builds: the
// store side of a backup's `saveConfig` (the previous copy's size, the write with its commit-message
// note, the explanation for `netops store explain`) for N hosts at once, P at a time as a run's
// sessions hand them in, first into an empty store (every config new) and then again (every config
// unchanged); then the run's commit. Configs are the lab's own (IOS and NX-OS, a distinct one per
// host), prepared once with the keyed placeholder as a backup does. Builds alternate round by round,
// each round on a fresh store, so the machine's load falls on every build alike.
//   npx tsc -p tsconfig.build.json --outDir .dist-before   (and .dist-after from your change)
//   node bench/store/new-configs.mjs [--rounds 8] [--hosts 500] [--parallel 100] [--config-bytes 50000] .dist-before .dist-after
// CPU is process.cpuUsage (every thread of this process: the thread pool's fs work included) per
// host; git's own CPU (children, /proc/self/stat) is shown apart. Not a bench: no result file.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBenchOptions, labDevices } from './lab-configs.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';
import { benchRunTotals } from '../harness/run-totals.mjs';

const { values, builds, hosts, parallel, load } = buildBenchOptions({ rounds: '8', hosts: '500' });

/** This process's CPU (every thread) and its ended children's (git), in ms. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return { own: (user + system) / 1000, git: (Number(fields[13]) + Number(fields[14])) * 10 };
}

/** A distinct lab config per host (lab-configs.mjs). */
function labConfigs() {
  return labDevices(hosts, Number(values['config-bytes'])).map(({ name, platform, body }) => ({
    name,
    platform,
    raw: `${body}end\n`,
  }));
}

async function loadBuild(build, configs) {
  const { GitStore } = await load(build, 'store/git-store.js');
  const { writeExplanation } = await load(build, 'store/explanation.js');
  const { prepareConfig } = await load(build, 'store/prepare.js');
  const { keyedPlaceholder, placeholderSwitch } = await load(build, 'store/placeholder-key.js');
  const { platformNamed } = await load(build, 'platforms/registry.js');
  const placeholder = keyedPlaceholder(Buffer.alloc(32, 7));
  const prepared = configs.map((c) => {
    const result = prepareConfig(c.raw, platformNamed(c.platform).configRules, { placeholder });
    if (!result.ok) throw new Error(`${build}: ${c.name} refused: ${result.reason}`);
    return { name: c.name, platform: c.platform, result };
  });
  /** The store side of saveConfig for one host (tasks/backup/save.ts), the prepare left out. */
  const save = async (store, stateStore, host) => {
    const file = `configs/${host.name}.cfg`;
    await store.size(file);
    const written = await store.write(file, host.result.content, (previous) => {
      const switched = placeholderSwitch(previous, host.result.content);
      return switched ? `${host.name}: stored; ${switched}` : `${host.name}: stored`;
    });
    if (written.changed) {
      await writeExplanation(stateStore, {
        host: host.name,
        platform: host.platform,
        at: new Date().toISOString(),
        file,
        // As a backup writes it: the copy named by the blob id the write gave (MAC stand-ins).
        source: { shape: 'f'.repeat(64), mac: 'f'.repeat(64), blob: written.blob, masked: 0, dropped: 0 },
        received: host.result.received,
        changes: host.result.changes,
      });
    }
    return written.changed;
  };
  /** One run on `dir`: every host saved, P at a time; then the commit. CPU of each phase. */
  const run = async (dir, day) => {
    const store = await GitStore.open({ dir });
    await collectGarbage();
    const c0 = cpuMs();
    let next = 0;
    let changed = 0;
    const worker = async () => {
      while (next < prepared.length) if (await save(store, dir, prepared[next++])) changed += 1;
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    const c1 = cpuMs();
    const startedAt = new Date(Date.UTC(2026, 0, 1 + day, 2)).toISOString();
    await store.close(benchRunTotals(startedAt, prepared.length, changed));
    const c2 = cpuMs();
    return {
      changed,
      saves: c1.own - c0.own,
      savesGit: c1.git - c0.git,
      commit: c2.own - c1.own,
      commitGit: c2.git - c1.git,
    };
  };
  return async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'netops-new-configs-'));
    process.env.NETOPS_STATE_DIR = path.join(dir, '.state');
    try {
      const first = await run(path.join(dir, 'store'), 0);
      const unchanged = await run(path.join(dir, 'store'), 1);
      if (first.changed !== hosts || unchanged.changed !== 0)
        throw new Error(`${build}: first run changed ${first.changed}, second ${unchanged.changed}`);
      return { first, unchanged };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

const configs = labConfigs();
const runs = [];
for (const build of builds) runs.push(await loadBuild(build, configs));
const samples = builds.map(() => []);
for (let round = 0; round <= Number(values.rounds); round++) {
  for (const [index, run] of runs.entries()) {
    const result = await run();
    if (round > 0) samples[index].push(result); // round 0 warms every build up
  }
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];
const us = (ms) => `${((ms * 1000) / hosts).toFixed(0).padStart(5)}`;
const figure = (list, pick) => `${us(quantile(list.map(pick), 0.25))} / ${us(quantile(list.map(pick), 0.5))}`;
const bytes = configs.reduce((sum, c) => sum + c.raw.length, 0) / hosts;
console.log(
  `${hosts} hosts (IOS and NX-OS, ${Math.round(bytes)} chars each), ${parallel} at a time, ${values.rounds} rounds; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
console.log('us per host, lower quartile / median of the rounds; "git" = git children\'s CPU');
const columns = [
  ['new: saves', (s) => s.first.saves],
  ['unchanged', (s) => s.unchanged.saves],
  ['new - unch.', (s) => s.first.saves - s.unchanged.saves],
  ['commit (new)', (s) => s.first.commit],
  ['new: all', (s) => s.first.saves + s.first.commit],
  ['git (new)', (s) => s.first.savesGit + s.first.commitGit],
];
console.log(`${'build'.padEnd(20)} ${columns.map(([title]) => title.padStart(13)).join(' ')}`);
for (const [index, build] of builds.entries()) {
  const list = samples[index];
  console.log(`${build.padEnd(20)} ${columns.map(([, pick]) => figure(list, pick).padStart(13)).join(' ')}`);
}
