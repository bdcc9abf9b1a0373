// In process, A/B between builds: the CPU netops spends per SSH session of a backup (TCP connect, SSH
// login, host-key check, the platform's session setup, `show running-config` of a 50 KB config read
// through the channel, close), with the lab's devices in a child process so that this process's CPU
// (process.cpuUsage) is the client's alone. Builds alternate round by round; each round runs
// `--sessions` sessions, `--parallel` at a time, against devices that answer after `--latency` ms.
// Every session must return the device's config (its `hostname` line, about its size), and
// every build must return the same text for the same device (compared by digest, in the warm-up round).
//   node bench/profile/per-session.mjs [--rounds 10] [--sessions 200] [--parallel 50] [--latency 20]
//                                      [--devices 200] [--config-bytes 50000] .dist-before .dist-after [ssh2]
// `ssh2` in place of a build is the floor: the same exchange on ssh2 alone, with no prompt handling
// beyond a test of the last bytes (the same 17 packets: each line typed, its echo awaited, then the
// return, the same key exchange), so a build's figure minus the floor's is what netops' own code
// costs per session.
// A build: `npx tsc -p tsconfig.build.json --outDir .dist-mine`. The lab runs from dist/ for every build.
// Each build runs in a worker thread of its own, so it has its own instances of every module, ssh2's
// included: a build that changes how ssh2 is loaded (src/transport/ssh2-module.ts) must not hand
// its ssh2 to the other. The CPU of a round is the process's (all threads) while that worker runs it.
// Not a bench (no result file): the load changes the microseconds; compare builds within one run.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { labHost } from '../cli-session/lab-host.mjs';

const { values, positionals } = isMainThread ? parseOptions() : workerData.options;

function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: {
      rounds: { type: 'string', default: '10' },
      sessions: { type: 'string', default: '200' },
      parallel: { type: 'string', default: '50' },
      latency: { type: 'string', default: '20' },
      devices: { type: 'string', default: '200' },
      'config-bytes': { type: 'string', default: '50000' },
      'serve-lab': { type: 'boolean', default: false },
    },
  });
}

/** The child: the loopback lab, its devices described to the parent, until the parent disconnects. */
async function serveLab() {
  const { startLoopbackLab } = await import('../../dist/lab/loopback-lab.js');
  const lab = await startLoopbackLab({
    devices: Number(values.devices),
    platforms: ['ios', 'nxos'],
    configBytes: Number(values['config-bytes']),
    snmp: false,
    bootMs: 0,
    faults: { latencyMs: Number(values.latency) },
  });
  process.send({
    // What labHost reads of a lab, for the sessions of the parent.
    spec: { username: lab.spec.username, password: lab.spec.password, enableSecret: lab.spec.enableSecret },
    devices: lab.devices.map((d) => ({ name: d.name, platform: d.platform, ports: { ssh: d.ports.ssh } })),
  });
  process.on('disconnect', () => void lab.close().then(() => process.exit(0)));
}

function startLabProcess() {
  const child = fork(new URL(import.meta.url).pathname, [...process.argv.slice(2), '--serve-lab'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (lab) => resolve({ ...lab, child }));
    child.once('exit', (code) => reject(new Error(`the lab process exited ${code}`)));
  });
}

/** One backup's session with `build`'s openCliSession: the config text it read. */
async function oneSession(build, lab, device) {
  const session = await build.openCliSession({
    host: labHost(lab, device),
    secret: async (ref) => ref.value,
    knownHostsFile: build.knownHosts,
  });
  try {
    const { text } = await session.send('show running-config');
    if (!text.includes(`\nhostname ${device.name}\n`) || text.length < 0.9 * Number(values['config-bytes']))
      throw new Error(`${device.name}: incomplete output (${text.length} characters)`);
    return text;
  } finally {
    await session.close();
  }
}

/** The floor: ssh2 alone, the same lines typed the same way, the config's bytes counted, not read. */
async function floorSession(build, lab, device) {
  const client = new build.ssh2.Client();
  const ready = new Promise((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  client.connect({
    host: '127.0.0.1',
    port: device.ports.ssh,
    username: lab.spec.username,
    password: lab.spec.password,
    authHandler: ['password'],
    hostVerifier: () => true,
    // The key exchange netops asks for since 4c8b8d1 (src/transport/ssh.ts): P-256 ahead of curve25519.
    algorithms: { kex: { remove: ['ecdh-sha2-nistp256'], prepend: ['ecdh-sha2-nistp256'] } },
  });
  await ready;
  const shell = await new Promise((resolve, reject) =>
    client.shell({ term: 'vt100', cols: 511, rows: 24 }, (error, channel) =>
      error ? reject(error) : resolve(channel),
    ),
  );
  let received = [];
  let size = 0;
  let waiting;
  const tail = () => Buffer.concat(received.slice(-2)).toString('latin1').slice(-200);
  shell.on('data', (chunk) => {
    received.push(chunk);
    size += chunk.length;
    if (waiting?.(tail())) waiting = undefined;
  });
  const until = (test) =>
    new Promise((resolve) => {
      const check = (text) => test(text) && (resolve(), true);
      if (!check(tail())) waiting = check;
    });
  const prompt = (text) => /\n[\w.-]+[#>] ?$/.test(text);
  await until((text) => /[#>] ?$/.test(text));
  shell.write('\n');
  await until(prompt);
  for (const line of ['terminal length 0', 'terminal width 511', 'show running-config']) {
    received = [];
    size = 0;
    shell.write(line);
    await until((text) => text.includes(line));
    shell.write('\n');
    await until(prompt);
  }
  if (size < 0.9 * Number(values['config-bytes'])) throw new Error(`${device.name}: ${size} bytes`);
  client.end();
  return undefined;
}

/**
 * `count` sessions, `parallel` at a time, over the lab's devices in turn: CPU microseconds per
 * session. Texts are digested only when `digest` (the warm-up round, every device once): a SHA-256
 * and a regex over 50 KB in the timed rounds cost a build 48-63 us per session the floor never paid.
 */
async function round(build, lab, count, parallel, digest = false) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const device = lab.devices[i % lab.devices.length];
      const text = await (build.ssh2 ? floorSession : oneSession)(build, lab, device);
      if (text === undefined || !digest) continue;
      // NX-OS prints the time of the command in its `!Time:` line: the rest must be the same.
      const timeless = text.replace(/^!Time: .*$/m, '');
      build.digests.set(device.name, createHash('sha256').update(timeless).digest('hex'));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** A worker thread: one build, loaded in it alone; runs the rounds the main thread asks for. */
async function serveBuild() {
  const { dir, lab, knownHosts } = workerData;
  let build;
  if (dir === 'ssh2') {
    build = { dir, ssh2: (await import('ssh2')).default, digests: new Map() };
  } else {
    const url = pathToFileURL(path.resolve(dir, 'platforms/session.js')).href;
    const { openCliSession } = await import(url);
    build = { dir, openCliSession, knownHosts, digests: new Map() };
  }
  parentPort.on('message', async ({ count, parallel, digest }) => {
    await round(build, lab, count, parallel, digest);
    parentPort.postMessage([...build.digests]);
  });
  parentPort.postMessage('ready');
}

/** Starts `dir`'s worker; `build.round(...)` runs one round in it and measures the process's CPU. */
async function startBuild(dir, lab, state, index) {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: {
      dir,
      lab,
      knownHosts: path.join(state, `known-hosts-${index}`),
      options: { values, positionals },
    },
  });
  const next = () =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).finally(() => worker.removeAllListeners('error'));
  await next();
  const build = { dir, ssh2: dir === 'ssh2', digests: new Map(), samples: [], worker };
  build.round = async (count, parallel, digest = false) => {
    const before = process.cpuUsage();
    const reply = next();
    worker.postMessage({ count, parallel, digest });
    build.digests = new Map(await reply);
    const { user, system } = process.cpuUsage(before);
    return { total: (user + system) / count, user: user / count, system: system / count };
  };
  return build;
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

async function compare() {
  if (positionals.length === 0) throw new Error('name one or more builds: .dist-before .dist-after');
  const state = mkdtempSync(path.join(os.tmpdir(), 'netops-per-session-'));
  process.env.NETOPS_STATE_DIR = state;
  const lab = await startLabProcess();
  const builds = [];
  try {
    const described = { spec: lab.spec, devices: lab.devices };
    for (const dir of positionals) builds.push(await startBuild(dir, described, state, builds.length));
    const sessions = Number(values.sessions);
    const parallel = Number(values.parallel);
    // Warm-up: every host key pinned, every module compiled and optimized, in each build.
    for (const build of builds) {
      const warm = await build.round(lab.devices.length, parallel, true);
      console.log(
        `warm-up of ${build.dir}: ${warm.total.toFixed(0)} us CPU per session (${lab.devices.length} sessions, first logins)`,
      );
    }
    for (let r = 0; r < Number(values.rounds); r++) {
      const order = r % 2 === 0 ? builds : [...builds].reverse();
      for (const build of order) build.samples.push(await build.round(sessions, parallel));
    }
    report(builds);
  } finally {
    await Promise.all(builds.map((build) => build.worker.terminate()));
    lab.child.disconnect();
    rmSync(state, { recursive: true, force: true });
  }
}

function report(builds) {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `${values.rounds} rounds x ${values.sessions} sessions, parallel ${values.parallel}, latency ${values.latency} ms, ${values['config-bytes']} B configs; load ${load}`,
  );
  console.log('build: CPU us per session, lower quartile / median / upper quartile (user / system medians)');
  for (const { dir, samples } of builds) {
    const totals = samples.map((s) => s.total);
    const figures = [0.25, 0.5, 0.75].map((q) => quantile(totals, q).toFixed(0)).join(' / ');
    const user = quantile(
      samples.map((s) => s.user),
      0.5,
    ).toFixed(0);
    const system = quantile(
      samples.map((s) => s.system),
      0.5,
    ).toFixed(0);
    console.log(`  ${dir}: ${figures} (${user} / ${system})`);
  }
  // Rounds run back to back (A B, B A, ...): the ratio within each round pair moves less with the load.
  for (const other of builds.slice(1)) {
    const ratios = other.samples.map((s, i) => s.total / builds[0].samples[i].total);
    const figures = [0.25, 0.5, 0.75].map((q) => quantile(ratios, q).toFixed(3)).join(' / ');
    console.log(`  ${other.dir} / ${builds[0].dir}, round by round: ${figures}`);
  }
  const [first, ...others] = builds.filter((build) => !build.ssh2);
  for (const other of others) {
    const same = [...first.digests].every(([name, digest]) => other.digests.get(name) === digest);
    console.log(
      `  ${other.dir} returned ${same ? 'the same' : 'DIFFERENT'} text as ${first.dir} for every device`,
    );
  }
}

if (!isMainThread) await serveBuild();
else if (values['serve-lab']) await serveLab();
else await compare();
