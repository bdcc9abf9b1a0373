// The per-device CPU of netops' own text handling, in process, A/B between builds: a lab device's
// `show running-config` (IOS and NX-OS, captured once over SSH from an in-process loopback lab) is
// replayed into a Channel on an in-memory transport (the echo, then the output in SSH-packet-sized
// chunks), and the command's text goes through prepareConfig with the keyed placeholder, as a backup
// does. Each build named on the command line runs the same replays, alternating round by round, so
// the machine's load falls on every build alike: CPU per config (process.cpuUsage, GC included) and
// the GC pauses' share (PerformanceObserver), median of the rounds.
//   npx tsc -p tsconfig.build.json --outDir .dist-before   (and .dist-after from your change)
//   node bench/profile/per-config.mjs [--rounds 40] [--configs 100] [--config-bytes 50000] [--each] .dist-before .dist-after
// --each also prints every round: each build's CPU per config and its ratio to the first build's in that round.
// Not a bench: no result file. Builds are folders of this repository (they import its node_modules).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { labHost } from '../cli-session/lab-host.mjs';
import { root } from '../harness/results.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '40' },
    configs: { type: 'string', default: '100' },
    'config-bytes': { type: 'string', default: '50000' },
    each: { type: 'boolean', default: false },
  },
});
const builds = positionals.length > 0 ? positionals : ['dist'];
const load = (build, file) => import(pathToFileURL(path.resolve(root, build, file)).href);

/** What the lab's IOS and NX-OS devices answer to `show running-config`, as the channel received it. */
async function captures() {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'netops-per-config-'));
  process.env.NETOPS_STATE_DIR = stateDir;
  const { startLoopbackLab } = await load('dist', 'lab/loopback-lab.js');
  const { openCliSession } = await load(builds[0], 'platforms/session.js');
  const configBytes = Number(values['config-bytes']);
  const lab = await startLoopbackLab({
    devices: 2,
    platforms: ['ios', 'nxos'],
    configBytes,
    snmp: false,
    bootMs: 0,
  });
  const raws = [];
  try {
    for (const device of lab.devices) {
      const session = await openCliSession({ host: labHost(lab, device), secret: async (ref) => ref.value });
      const { raw } = await session.send(session.platform.runningConfig);
      raws.push({ platform: device.platform, command: session.platform.runningConfig, raw });
      await session.close();
    }
  } finally {
    await lab.close();
    await rm(stateDir, { recursive: true, force: true });
  }
  return raws;
}

/** A transport that answers the typed command with its echo and the return with the captured output. */
function replayTransport(capture) {
  const cut = capture.raw.indexOf(capture.command) + capture.command.length;
  const echo = Buffer.from(capture.raw.slice(0, cut));
  const rest = Buffer.from(capture.raw.slice(cut));
  const listeners = [];
  const emit = (chunk) => process.nextTick(() => listeners.forEach((listener) => listener(chunk)));
  return {
    kind: 'ssh',
    newline: '\n',
    peer: 'replay',
    closed: undefined,
    write(text) {
      if (text !== '\n') return emit(echo);
      // ssh2 hands the channel one SSH packet's data at a time (32 KiB at most).
      for (let at = 0; at < rest.length; at += 32_768) emit(rest.subarray(at, at + 32_768));
    },
    onData: (listener) => (listeners.push(listener), () => undefined),
    onClose: () => () => undefined,
    isAlive: () => true,
    sendBreak() {},
    close: async () => undefined,
  };
}

/** One build's replay of every capture: the channel's command, then prepareConfig as a backup calls it. */
async function loadBuild(build, raws) {
  const { Channel } = await load(build, 'channel/channel.js');
  const { prepareConfig } = await load(build, 'store/prepare.js');
  const { keyedPlaceholder } = await load(build, 'store/placeholder-key.js');
  const { platformNamed } = await load(build, 'platforms/registry.js');
  const placeholder = keyedPlaceholder(Buffer.alloc(32, 7));
  const prompts = { ios: [/[\w.-]+#\s?$/], nxos: [/[\w.-]+#\s?$/] };
  const run = async (keep) => {
    for (const capture of raws) {
      const channel = new Channel(replayTransport(capture), { host: 'replay' });
      const result = await channel.command(capture.command, prompts[capture.platform], { timeoutMs: 5000 });
      const rules = platformNamed(capture.platform).configRules;
      const prepared = prepareConfig(result.text, rules, { placeholder });
      if (!prepared.ok) throw new Error(`${build}: ${capture.platform} config refused: ${prepared.reason}`);
      keep?.(JSON.stringify({ text: result.text, prepared }));
    }
  };
  // Every build must store the same bytes and explain them the same way: a faster wrong build is no result.
  const digest = createHash('sha256');
  await run((text) => digest.update(text));
  return { run: () => run(), digest: digest.digest('hex').slice(0, 16) };
}

let gcMs = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => (gcMs += entry.duration))).observe({
  entryTypes: ['gc'],
});

const raws = await captures();
const loaded = await Promise.all(builds.map((build) => loadBuild(build, raws)));
const runs = loaded.map((build) => build.run);
const digests = new Set(loaded.map((build) => build.digest));
const configs = Number(values.configs);
const samples = builds.map(() => ({ cpu: [], gc: [] }));
for (let round = 0; round <= Number(values.rounds); round++) {
  for (const [index, run] of runs.entries()) {
    gcMs = 0;
    const before = process.cpuUsage();
    for (let i = 0; i < configs / raws.length; i++) await run();
    const used = process.cpuUsage(before);
    await nextTurn();
    if (round === 0) continue; // warm-up
    samples[index].cpu.push((used.user + used.system) / 1000 / configs);
    samples[index].gc.push(gcMs / configs);
  }
}
/** The q-quantile: on a loaded machine the lower quarter is the code's own cost, the median its cost under load. */
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];
const median = (xs) => quantile(xs, 0.5);
console.log(
  `${raws.map((r) => `${r.platform} ${r.raw.length} chars`).join(', ')}; ${configs} configs per round, ${values.rounds} rounds`,
);
const us = (ms) => (ms * 1000).toFixed(0).padStart(5);
const [firstLow, firstMedian] = [quantile(samples[0].cpu, 0.25), median(samples[0].cpu)];
console.log(
  digests.size === 1
    ? 'every build stored the same text and explanations'
    : 'THE BUILDS DIFFER: their stored text or explanations are not the same (see "output")',
);
if (values.each) {
  for (const [round, base] of samples[0].cpu.entries()) {
    const figures = samples.map(({ cpu }) => `${us(cpu[round])} us (${(cpu[round] / base).toFixed(3)}x)`);
    console.log(`round ${String(round + 1).padStart(3)}: ${figures.join('  ')}`);
  }
}
for (const [index, build] of builds.entries()) {
  const [low, mid] = [quantile(samples[index].cpu, 0.25), median(samples[index].cpu)];
  console.log(
    `${build.padEnd(20)} CPU per config: lower quartile ${us(low)} us (${(low / firstLow).toFixed(3)}x the first), median ${us(mid)} us (${(mid / firstMedian).toFixed(3)}x); GC pauses ${us(median(samples[index].gc))} us; output ${loaded[index].digest}`,
  );
}
