// A `netops run` of a loopback lab's backup job, measured from the process's start to its first TCP
// connect (module loading, job, inventory, secrets, lock, store open, runner set-up): CPU of every
// thread and of the main thread, and wall. One whole run first leaves the state a nightly run finds
// (store, pinned host keys, the inventory's kept data); then each round runs every build once, in
// turn, stopped at its first connect (./first-connect-preload.mjs interrupts it as Ctrl-C would).
// A build is a folder `npx tsc -p tsconfig.build.json --outDir .dist-mine` wrote. Not a bench: no
// result file; builds alternate round by round so the machine's load falls on each alike.
//   node bench/startup/first-connect.mjs [--devices 1000] [--rounds 10] [--edit-inventory]
//                                        [--profile DIR] DIST...
// --edit-inventory: the inventory changes before each run (its YAML is read, not its kept data).
// The kept data is one entry per file, keyed by the code of config/: builds whose config/ differs
// each find the other's entry and read the YAML (as with --edit-inventory); compare such builds so.
// --profile DIR: a CPU profile of each run's start-up (node bench/profile/summarize.mjs DIR/*.cpuprofile).
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { labEnvironment } from '../../dist/lab/lab-inventory.js';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { writeBackupJob } from '../harness/lab-inventory.mjs';
import { root } from '../harness/results.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    devices: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '10' },
    'edit-inventory': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const builds = (positionals.length > 0 ? positionals : ['dist']).map((d) => path.resolve(root, d));
const preload = path.join(root, 'bench/startup/first-connect-preload.mjs');

/** One run of `dist`'s netops in `dir`, stopped at its first connect: what its start-up cost. */
async function startUp(dist, dir, env, label) {
  const file = path.join(dir, 'first-connect.json');
  rmSync(file, { force: true });
  const profile = values.profile
    ? { NETOPS_FIRST_CONNECT_PROFILE: path.join(values.profile, `${label}.cpuprofile`) }
    : {};
  const argv = ['--import', preload, path.join(dist, 'cli/main.js'), 'run', 'job.yaml', '--json'];
  const child = spawn(process.execPath, argv, {
    cwd: dir,
    env: { ...process.env, ...env, NETOPS_FIRST_CONNECT_FILE: file, ...profile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${dist}: no first connect (exit ${code})\n${stderr}`);
  }
}

/** The whole run that leaves a nightly run's state: every config stored, every host key pinned. */
async function wholeRun(dir, env) {
  const child = spawn(process.execPath, [path.join(builds[0], 'cli/main.js'), 'run', 'job.yaml', '--quiet'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the preparing run ended with ${code}`);
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const fmt = (xs) => `min ${Math.min(...xs).toFixed(0)}, median ${quantile(xs, 0.5).toFixed(0)}`;

const devices = Number(values.devices);
const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-first-connect-'));
if (values.profile) mkdirSync(values.profile, { recursive: true });
const lab = await startLoopbackLab({ devices, platforms: ['ios', 'nxos'], configBytes: 50_000, snmp: false });
try {
  writeBackupJob(dir, lab, { parallel: 100 });
  const env = { ...labEnvironment(lab), NETOPS_STATE_DIR: path.join(dir, 'state') };
  await wholeRun(dir, env);
  const runs = new Map(builds.map((b) => [b, []]));
  const loads = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    loads.push(os.loadavg()[0]);
    for (const dist of round % 2 === 0 ? builds : [...builds].reverse()) {
      if (values['edit-inventory'])
        appendFileSync(path.join(dir, 'inventory.yaml'), `# edit ${round} ${dist}\n`);
      runs
        .get(dist)
        .push(await startUp(dist, dir, env, `${path.basename(dist).replace(/^\./, '')}-${round}`));
    }
  }
  console.log(
    `${devices} hosts, ${values.rounds} rounds, start-up to the first connect${values['edit-inventory'] ? ' (inventory edited before each run)' : ''}; load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
  );
  for (const [dist, list] of runs) {
    console.log(
      `${path.relative(root, dist)}: CPU ms ${fmt(list.map((r) => r.cpuUs / 1000))}; main thread ms ${fmt(list.map((r) => r.mainUs / 1000))}; wall ms ${fmt(list.map((r) => r.wallMs))}`,
    );
  }
} finally {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
}
