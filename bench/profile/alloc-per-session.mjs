// In process: what the JS heap allocates per SSH session of a backup (connect, login, session setup,
// `show running-config` of a 50 KB config, close), by function and by area (netops' folders, ssh2,
// Node), from V8's sampling heap profiler with the objects the GC collected since counted too: the
// allocation that makes the scavenges (main thread) and their parallel tasks (V8's helper threads).
// The lab runs in a child process (per-session.mjs --serve-lab), so only the client's heap is sampled.
//   node bench/profile/alloc-per-session.mjs [--sessions 200] [--parallel 50] [--top 30] [--live] [BUILD]
// --live: what is still alive half-way through the sessions (a full GC first), per session in flight:
// the bytes a scavenge would have to copy, by the function that allocated them.
// BUILD: a folder built from src (default dist). Not a bench: no result file; counts bytes, not time.
import { fork } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { labHost } from '../cli-session/lab-host.mjs';
import { root } from '../harness/results.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sessions: { type: 'string', default: '200' },
    parallel: { type: 'string', default: '50' },
    devices: { type: 'string', default: '100' },
    top: { type: 'string', default: '30' },
    live: { type: 'boolean', default: false },
  },
});
const build = path.resolve(root, positionals[0] ?? 'dist');

/** The lab in a child process: per-session.mjs serves one and describes its devices. */
function startLab() {
  const script = path.join(root, 'bench/profile/per-session.mjs');
  const child = fork(script, ['--devices', values.devices, '--serve-lab'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (lab) => resolve({ ...lab, child }));
    child.once('exit', (code) => reject(new Error(`the lab process exited ${code}`)));
  });
}

/** `count` backup sessions, `parallel` at a time, each reading the device's config; `ended` after each. */
async function sessions(lab, openCliSession, knownHostsFile, count, ended = () => undefined) {
  let next = 0;
  const one = async (device) => {
    const session = await openCliSession({
      host: labHost(lab, device),
      secret: async (ref) => ref.value,
      knownHostsFile,
    });
    try {
      const { text } = await session.send(session.platform.runningConfig);
      if (!text.includes(`\nhostname ${device.name}\n`)) throw new Error(`${device.name}: incomplete output`);
    } finally {
      await session.close();
    }
  };
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await one(lab.devices[i % lab.devices.length]);
      ended();
    }
  };
  await Promise.all(Array.from({ length: Number(values.parallel) }, worker));
}

/** The area a profile node's code belongs to: a netops folder, a package, Node's own, or V8's. */
function areaOf(url) {
  if (url === '') return 'V8 / native';
  const netops = /\/(?:dist|\.dist-[^/]+)\/([^/]+)\//.exec(url);
  if (netops) return `netops ${netops[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  return url.startsWith('node:') ? 'node' : url;
}

/** `name file:line` of a profile node's function. */
function frameName({ functionName, url, lineNumber }) {
  return `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|\.dist-[^/]+|node_modules)\//, '')}:${lineNumber + 1}`;
}

/** Bytes by function and by area; a native function (join, split, a constructor) counts for its nearest caller with a script. */
function report(profile, count, what = 'allocated') {
  const byFunction = new Map();
  const byArea = new Map();
  let total = 0;
  const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
  const walk = (node, caller) => {
    const own = node.callFrame.url === '' ? undefined : node.callFrame;
    const frame = own ?? caller;
    const bytes = node.selfSize;
    total += bytes;
    const native = own ? '' : ` <- ${node.callFrame.functionName || '(native)'}`;
    add(
      byFunction,
      frame ? `${frameName(frame)}${native}` : `${node.callFrame.functionName} (native)`,
      bytes,
    );
    add(byArea, frame ? areaOf(frame.url) : 'V8 / native', bytes);
    for (const child of node.children) walk(child, frame);
  };
  walk(profile.head, undefined);
  const kb = (bytes) => (bytes / count / 1024).toFixed(1).padStart(7);
  console.log(`${build}: ${kb(total)} KB ${what} per session (${count} sessions)`);
  console.log('by area (KB per session):');
  for (const [area, bytes] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`${kb(bytes)}  ${area}`);
  console.log(`top ${values.top} functions (KB per session, self; natives after <-):`);
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  for (const [name, bytes] of top) console.log(`${kb(bytes)}  ${name}`);
}

const lab = await startLab();
const state = mkdtempSync(path.join(os.tmpdir(), 'netops-alloc-'));
process.env.NETOPS_STATE_DIR = state;
try {
  const { openCliSession } = await import(pathToFileURL(path.join(build, 'platforms/session.js')).href);
  const knownHosts = path.join(state, 'known-hosts');
  // Warm-up: every device's host key trusted once, the code compiled.
  await sessions(lab, openCliSession, knownHosts, lab.devices.length);
  const inspector = new Session();
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: !values.live,
    includeObjectsCollectedByMinorGC: !values.live,
  });
  const count = Number(values.sessions);
  if (values.live) {
    // Half-way, with `parallel` sessions at every stage of their exchange: what they hold then.
    let done = 0;
    let halfWay;
    const reached = new Promise((resolve) => (halfWay = resolve));
    const running = sessions(lab, openCliSession, knownHosts, count, () => ++done === count / 2 && halfWay());
    await reached;
    await inspector.post('HeapProfiler.collectGarbage');
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    await running;
    console.log(`alive half-way (after a full GC), per session in flight (${values.parallel}):`);
    report(profile, Number(values.parallel), 'alive');
  } else {
    await sessions(lab, openCliSession, knownHosts, count);
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    report(profile, count);
  }
  inspector.disconnect();
} finally {
  lab.child.disconnect();
  rmSync(state, { recursive: true, force: true });
}
