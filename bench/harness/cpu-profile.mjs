// Summarizes V8 CPU profiles (`node --cpu-prof`) by where the main thread's time goes: V8 itself
// (compile and runtime: "(program)"), garbage collection, module loading, each netops layer, each
// package, Node's socket/fs/child-process code. A native function (no script) counts for the nearest
// script frame that called it: crypto under ssh2's key exchange is ssh2's, a write under the store
// is the store's. Idle time is left out. With --devices N every figure is also given per device.
//   node bench/harness/cpu-profile.mjs [--devices N] [--top K] FILE.cpuprofile...
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const specials = { '(garbage collector)': 'GC', '(program)': 'V8 (compile, runtime)', '(idle)': 'idle' };

/** The group a script URL belongs to: a netops layer (store/sanitize apart), a package, a Node area. */
export function groupOf(url) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pkg) return pkg[1] === 'ssh2' && /protocol\/(kex|keyParser)/.test(pkg[2]) ? 'ssh2 kex' : pkg[1];
  const own = /\/dist\/([^/]+)\/([^/]+)\.js$/.exec(url);
  if (own) {
    if (own[1] === 'store' && /^(sanitize|prepare|placeholders|rules|line-rules|common-rules)$/.test(own[2]))
      return 'netops sanitize';
    return `netops ${own[1]}`;
  }
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/vm')) return 'module loading';
  if (/^node:(internal\/)?fs/.test(url)) return 'node fs';
  if (/^node:(net|internal\/(stream_base_commons|net|tcp|dns)|stream|internal\/streams)/.test(url))
    return 'node socket/streams';
  if (/^node:(internal\/)?child_process/.test(url)) return 'node child processes';
  if (/^node:(internal\/)?crypto/.test(url)) return 'node crypto';
  if (url.startsWith('node:')) return 'node other';
  return url === '' ? 'native (no caller)' : url;
}

/** Self time (ms) per node id, from the samples and the time deltas (microseconds). */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + ms);
  }
  return self;
}

/** The nearest frame from `id` up whose script is netops' or a package's: who asked for the work. */
function ownerOf(id, byId, parent) {
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const { url, functionName, lineNumber } = byId.get(at).callFrame;
    if (/\/(dist|node_modules)\//.test(url))
      return `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`;
  }
  return undefined;
}

const short = (url) => url.replace(/^.*\/(dist|node_modules)\//, '$1/');

/** Adds one profile's time into `groups` (by group), `functions` (by frame) and `owners` (by caller). */
function addProfile(profile, groups, functions, owners) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = selfTimes(profile);
  for (const [id, ms] of self) {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    let group = specials[functionName];
    let frame = node;
    // A native frame counts for its nearest caller with a script.
    while (!group && frame.callFrame.url === '' && parent.has(frame.id))
      frame = byId.get(parent.get(frame.id));
    group ??= groupOf(frame.callFrame.url);
    groups.set(group, (groups.get(group) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} ${url ? `${short(url)}:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    // Node's own code and natives count for the netops or package function that called them.
    const owner = specials[functionName] ?? ownerOf(id, byId, parent) ?? `${name} (no netops/package caller)`;
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
  }
}

function table(title, map, { total, devices, top }) {
  const rows = [...map].filter(([name]) => name !== 'idle').sort((a, b) => b[1] - a[1]);
  const lines = [title];
  for (const [name, ms] of rows.slice(0, top)) {
    const perDevice = devices ? `  ${(ms / devices).toFixed(2).padStart(7)} ms/device` : '';
    lines.push(
      `${((100 * ms) / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms${perDevice}  ${name}`,
    );
  }
  return lines.join('\n');
}

/** The text summary of `files` (paths of .cpuprofile files). */
export function summarize(files, { devices, top = 25 } = {}) {
  const groups = new Map();
  const functions = new Map();
  const owners = new Map();
  for (const file of files) addProfile(JSON.parse(readFileSync(file, 'utf8')), groups, functions, owners);
  const total = [...groups].filter(([name]) => name !== 'idle').reduce((sum, [, ms]) => sum + ms, 0);
  const head = `${files.length} profile(s), ${total.toFixed(0)} ms busy on the main thread${devices ? ` (${(total / devices).toFixed(2)} ms per device of ${devices})` : ''}, ${(groups.get('idle') ?? 0).toFixed(0)} ms idle`;
  return [
    head,
    table('\nby area:', groups, { total, devices, top: 40 }),
    table(`\ntop ${top} functions (self time):`, functions, { total, devices, top }),
    table(
      `\ntop ${top} callers (self time of a netops or package function plus the Node code it called):`,
      owners,
      {
        total,
        devices,
        top,
      },
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { devices: { type: 'string' }, top: { type: 'string' } },
  });
  if (positionals.length === 0) {
    console.error('usage: node bench/harness/cpu-profile.mjs [--devices N] [--top K] FILE.cpuprofile...');
    process.exit(2);
  }
  console.log(
    summarize(positionals, { devices: Number(values.devices ?? 0), top: Number(values.top ?? 25) }),
  );
}
