// Summarizes V8 CPU profiles (`node --cpu-prof`) by where the main thread's time goes (self time):
// by area (V8 itself "(program)", garbage collection, module loading, each netops layer, each
// package, Node's socket/fs/child-process code), by module (script file), by function, and by the
// netops or package function that asked for the work. A native function (no script) counts for the
// nearest script frame that called it: crypto under ssh2's key exchange is ssh2's, a write under the
// store is the store's. Idle time is left out. With --devices N every figure is also given per
// device; --stacks PATTERN prints the heaviest call stacks of the functions whose name or file
// matches PATTERN (a regular expression): who calls them, and how often per device.
//   node bench/profile/summarize.mjs [--devices N] [--top K] [--stacks PATTERN] FILE.cpuprofile...
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** This repository's root as a file URL: its scripts are named relative to it. */
const repository = new URL('../..', import.meta.url).href.replace(/\/$/, '');

const specials = { '(garbage collector)': 'GC', '(program)': 'V8 (compile, runtime)', '(idle)': 'idle' };

/** The group a script URL belongs to: a netops layer (store/sanitize apart), a package, a Node area. */
export function groupOf(url) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pkg) return pkg[1] === 'ssh2' && /protocol\/(kex|keyParser)/.test(pkg[2]) ? 'ssh2 kex' : pkg[1];
  const own = /\/\.?dist(?:-[^/]*)?\/([^/]+)\/(?:.*\/)?([^/]+)\.js$/.exec(url);
  if (own) {
    if (
      own[1] === 'store' &&
      /^(sanitize|prepare|placeholders|rules|line-rules|rule-lines|line-feeds|common-rules|secret-keywords|regex-union)$/.test(
        own[2],
      )
    )
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

const short = (url) =>
  url.replace(/^.*\/(\.?dist(?:-[^/]*)?|node_modules)\//, '$1/').replace(`${repository}/`, '');
const frameName = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'}${url ? ` ${short(url)}:${lineNumber + 1}` : ''}`;

/** The nearest frame from `id` up whose script is netops' or a package's: who asked for the work. */
function ownerOf(id, tree) {
  for (let at = id; at !== undefined; at = tree.parent.get(at)) {
    const { callFrame } = tree.byId.get(at);
    if (/\/(\.?dist(?:-[^/]*)?|node_modules)\//.test(callFrame.url)) return frameName(callFrame);
  }
  return undefined;
}

/** The nearest frame from `id` up that has a script (natives count for their caller). */
function scriptFrameOf(id, tree) {
  let frame = tree.byId.get(id);
  while (frame.callFrame.url === '' && tree.parent.has(frame.id))
    frame = tree.byId.get(tree.parent.get(frame.id));
  return frame;
}

/** The call stack of `id`, innermost first, at most `depth` frames. */
function stackOf(id, tree, depth) {
  const frames = [];
  for (let at = id; at !== undefined && frames.length < depth; at = tree.parent.get(at)) {
    const { callFrame } = tree.byId.get(at);
    if (callFrame.functionName !== '(root)') frames.push(frameName(callFrame));
  }
  return frames.join(' < ');
}

const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);

/** Adds one profile's time into the tables: groups, modules, functions, owners, stacks (of --stacks). */
function addProfile(profile, tables, stacksPattern) {
  const tree = { byId: new Map(profile.nodes.map((node) => [node.id, node])), parent: new Map() };
  for (const node of profile.nodes) for (const child of node.children ?? []) tree.parent.set(child, node.id);
  for (const [id, ms] of selfTimes(profile)) {
    const { callFrame } = tree.byId.get(id);
    const special = specials[callFrame.functionName];
    const script = scriptFrameOf(id, tree).callFrame.url;
    add(tables.groups, special ?? groupOf(script), ms);
    add(tables.modules, special ?? (script === '' ? 'native (no caller)' : short(script)), ms);
    const name = frameName(callFrame);
    add(tables.functions, name, ms);
    // Node's own code and natives count for the netops or package function that called them.
    add(tables.owners, special ?? ownerOf(id, tree) ?? `${name} (no netops/package caller)`, ms);
    if (stacksPattern?.test(name)) add(tables.stacks, stackOf(id, tree, 12), ms);
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
export function summarize(files, { devices, top = 25, stacks } = {}) {
  const tables = {
    groups: new Map(),
    modules: new Map(),
    functions: new Map(),
    owners: new Map(),
    stacks: new Map(),
  };
  const pattern = stacks ? new RegExp(stacks) : undefined;
  for (const file of files) addProfile(JSON.parse(readFileSync(file, 'utf8')), tables, pattern);
  const total = [...tables.groups].filter(([name]) => name !== 'idle').reduce((sum, [, ms]) => sum + ms, 0);
  const perDevice = devices ? ` (${(total / devices).toFixed(2)} ms per device of ${devices})` : '';
  const idle = (tables.groups.get('idle') ?? 0).toFixed(0);
  const options = { total, devices, top };
  return [
    `${files.length} profile(s), ${total.toFixed(0)} ms busy on the main thread${perDevice}, ${idle} ms idle`,
    table('\nby area:', tables.groups, { ...options, top: 40 }),
    table(
      `\ntop ${top} modules (self time, natives counted for their caller's script):`,
      tables.modules,
      options,
    ),
    table(`\ntop ${top} functions (self time):`, tables.functions, options),
    table(
      `\ntop ${top} callers (self time of a netops or package function plus the Node code it called):`,
      tables.owners,
      options,
    ),
    ...(pattern
      ? [table(`\nheaviest stacks of /${stacks}/ (innermost first):`, tables.stacks, options)]
      : []),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { devices: { type: 'string' }, top: { type: 'string' }, stacks: { type: 'string' } },
  });
  if (positionals.length === 0) {
    console.error(
      'usage: node bench/profile/summarize.mjs [--devices N] [--top K] [--stacks PATTERN] FILE.cpuprofile...',
    );
    process.exit(2);
  }
  const options = {
    devices: Number(values.devices ?? 0),
    top: Number(values.top ?? 25),
    stacks: values.stacks,
  };
  console.log(summarize(positionals, options));
}
