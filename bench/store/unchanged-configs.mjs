// What an unchanged config costs a backup's `saveConfig` (tasks/backup/save.ts), in process, A/B
// between builds: N hosts (the lab's own IOS and NX-OS configs, a distinct one per host) saved P at a
// time into an empty store (every config new), then again with the very same device output (every
// config unchanged: the nightly case), then with a line more in each (every config changed), each run
// committed as `netops run` does. Builds alternate round by round, each round on a fresh store and
// state folder, so the machine's load falls on every build alike. IOS and NX-OS are timed apart: NX-OS's `!Time:` line differs at every fetch (here too), so
// an unchanged NX-OS config takes the full path, with whatever the check costs on top.
//   npx tsc -p tsconfig.build.json --outDir .dist-before   (and .dist-after from your change)
//   node bench/store/unchanged-configs.mjs [--rounds 6] [--hosts 400] [--parallel 100] [--config-bytes 50000] .dist-before .dist-after
// CPU is process.cpuUsage (every thread of this process) per host of the saves, the commit apart.
// Not a bench: no result file.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBenchOptions, labDevices } from './lab-configs.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';
import { benchRunTotals } from '../harness/run-totals.mjs';

const { values, builds, hosts, parallel, load } = buildBenchOptions({ rounds: '6', hosts: '400' });
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** A distinct lab config per host (lab-configs.mjs). */
function labConfigs() {
  return labDevices(hosts, Number(values['config-bytes'])).map(({ name, platform, body }) => {
    // As `show running-config` gives them: NX-OS's header holds the time of the fetch (`!Time:`).
    const raw =
      platform === 'ios'
        ? () => `${body}end\n`
        : (day) => `!Command: show running-config\n!Time: Mon Dec  ${day + 1} 02:00:00 2025\n\n${body}`;
    return { name, platform, raw };
  });
}

/** The config with one line more (before IOS's `end`): a changed config of a host the store holds. */
const withLine = (raw, day) =>
  raw.endsWith('\nend\n')
    ? `${raw.slice(0, -'end\n'.length)}ip domain name day${day}.example\nend\n`
    : `${raw}ip domain-name day${day}.example\n`;

/** A host as the inventory gives it: only what saveConfig reads. */
const inventoryHost = (config) => ({ name: config.name, platform: config.platform, groups: [], data: {} });

async function loadBuild(build, configs) {
  const { saveConfig } = await load(build, 'tasks/backup/save.js');
  const { platformNamed } = await load(build, 'platforms/registry.js');
  const { storeSettingsSchema } = await load(build, 'store/settings.js');
  const { openJobStore, storeDir, storeResourceKey } = await load(build, 'tasks/resources/job-store.js');
  const rules = { ios: platformNamed('ios').configRules, nxos: platformNamed('nxos').configRules };
  /**
   * One run on `dir`: every host saved through saveConfig, P at a time, then the store closed.
   * `edit` gives every config a line more than the day's output (every config changed).
   */
  const run = async (dir, day, edit = false) => {
    const resources = new Map();
    const settings = { store: storeSettingsSchema.parse({ dir: 'store' }) };
    const context = (config) => ({
      host: inventoryHost(config),
      signal: new AbortController().signal,
      job: { name: 'bench', dir, settings },
      secret: async () => '',
      resource: (key, open) => {
        if (!resources.has(key)) resources.set(key, open());
        return resources.get(key);
      },
      log: () => undefined,
    });
    let changed = 0;
    let next = 0;
    // The store opened first, as `netops run` does before any host: its git processes are not a host's.
    const job = { name: 'bench', dir };
    const store = openJobStore(job, settings.store);
    resources.set(storeResourceKey(storeDir(dir, settings.store)), store);
    await store;
    await collectGarbage();
    const worker = async () => {
      while (next < configs.length) {
        const config = configs[next++];
        const raw = edit ? withLine(config.raw(day), day) : config.raw(day);
        const saved = await saveConfig(context(config), raw, rules[config.platform], 'stored');
        if (saved.changed) changed += 1;
      }
    };
    const c0 = cpuMs();
    await Promise.all(Array.from({ length: parallel }, worker));
    const c1 = cpuMs();
    const startedAt = new Date(Date.UTC(2026, 0, 1 + day, 2)).toISOString();
    const summary = { ...benchRunTotals(startedAt, configs.length, changed), changedHosts: [] };
    for (const resource of resources.values()) await (await resource).close(summary);
    return { changed, saves: c1 - c0, commit: cpuMs() - c1 };
  };
  return async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'netops-unchanged-configs-'));
    process.env.NETOPS_STATE_DIR = path.join(dir, '.state');
    try {
      const first = await run(dir, 0);
      const unchanged = await run(dir, 1);
      const edited = await run(dir, 2, true);
      if (first.changed !== configs.length || unchanged.changed !== 0 || edited.changed !== configs.length)
        throw new Error(
          `${build}: first run changed ${first.changed}, second ${unchanged.changed}, third ${edited.changed}`,
        );
      return { first, unchanged, edited };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

const configs = labConfigs();
const byPlatform = (platform) => configs.filter((c) => c.platform === platform);
const runs = [];
for (const build of builds) {
  // Each platform in runs of its own: an unchanged IOS config is what the change is about.
  runs.push({
    build,
    ios: await loadBuild(build, byPlatform('ios')),
    nxos: await loadBuild(build, byPlatform('nxos')),
  });
}
const samples = builds.map(() => []);
for (let round = 0; round <= Number(values.rounds); round++) {
  for (const [index, { ios, nxos }] of runs.entries()) {
    const result = { ios: await ios(), nxos: await nxos() };
    if (round > 0) samples[index].push(result); // round 0 warms every build up
  }
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];
const per = (count) => (ms) => `${((ms * 1000) / count).toFixed(0).padStart(5)}`;
const figure = (list, pick, count) =>
  `${per(count)(quantile(list.map(pick), 0.25))} / ${per(count)(quantile(list.map(pick), 0.5))}`;
const chars = Math.round(configs.reduce((sum, c) => sum + c.raw(0).length, 0) / hosts);
console.log(
  `${hosts} hosts (half IOS, half NX-OS, ${chars} chars each), ${parallel} at a time, ${values.rounds} rounds; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
console.log('us of CPU per host in saveConfig, lower quartile / median of the rounds (commit apart)');
const columns = [
  ['IOS new', (s) => s.ios.first.saves, 'ios'],
  ['IOS unchanged', (s) => s.ios.unchanged.saves, 'ios'],
  ['NX-OS new', (s) => s.nxos.first.saves, 'nxos'],
  ['NX-OS unch.', (s) => s.nxos.unchanged.saves, 'nxos'],
  ['IOS changed', (s) => s.ios.edited.saves, 'ios'],
  ['NX-OS changed', (s) => s.nxos.edited.saves, 'nxos'],
];
console.log(`${'build'.padEnd(24)} ${columns.map(([title]) => title.padStart(15)).join(' ')}`);
for (const [index, { build }] of runs.entries()) {
  const list = samples[index];
  const cells = columns.map(([, pick, platform]) => figure(list, pick, byPlatform(platform).length));
  console.log(`${build.padEnd(24)} ${cells.map((cell) => cell.padStart(15)).join(' ')}`);
}
