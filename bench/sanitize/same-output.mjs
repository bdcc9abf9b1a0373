// Do two builds of the sanitizer prepare every config alike? A speed change to the sanitizer must
// store the same bytes and explain them the same way. prepareConfig (and maskSecrets alone) runs on
// the repository's captures and the secret corpus, on configs shuffled together from all of their
// lines (blocks, indents, banners, line endings and Unicode blanks varied), each under several
// option sets (placeholders <removed> and keyed, job noise rules, sanitize off, CRLF, previous
// bytes), and the results are compared field by field (JSON, Map entries included).
//   npx tsc -p tsconfig.build.json --outDir .dist-before   (and .dist-after from your change)
//   node bench/sanitize/same-output.mjs [--configs 3000] [--seed 1] .dist-before .dist-after [captures...]
// Extra arguments that are files are used as captures too (e.g. a lab's `show running-config`).
// Exit 1 at the first difference, with the input that shows it. Not a bench: no result file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { root } from '../harness/results.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { configs: { type: 'string', default: '3000' }, seed: { type: 'string', default: '1' } },
});
const builds = positionals.filter((arg) => !existsSync(arg) || !arg.endsWith('.txt'));
const extra = positionals.filter((arg) => existsSync(arg) && arg.endsWith('.txt'));
if (builds.length !== 2) throw new Error('name two builds: node bench/sanitize/same-output.mjs A B');

const fixtures = path.join(root, 'test/store/fixtures');
const platforms = ['ios', 'nxos', 'frr'];

/** Every line the repository knows per platform: captures, corpus secrets, look-alikes and contexts. */
function pools() {
  const byPlatform = Object.fromEntries(platforms.map((p) => [p, { configs: [], lines: [] }]));
  for (const platform of platforms) {
    const text = readFileSync(path.join(fixtures, `${platform}-running-config.txt`), 'utf8');
    byPlatform[platform].configs.push(text);
  }
  for (const file of extra) {
    const text = readFileSync(file, 'utf8');
    const platform = platforms.find((p) => path.basename(file).includes(p)) ?? 'ios';
    byPlatform[platform].configs.push(text);
  }
  for (const group of parse(readFileSync(path.join(fixtures, 'secret-corpus.yaml'), 'utf8'))) {
    const lines = byPlatform[group.platform].lines;
    const block = [
      ...(group.context ?? '').split('\n').filter(Boolean),
      ...Object.keys(group.secrets ?? {}).flatMap((line) => line.split('\n')),
      ...(group.lookalikes ?? []).flatMap((line) => line.split('\n')),
    ];
    lines.push(...block);
    byPlatform[group.platform].configs.push(`${block.join('\n')}\nend\n`);
  }
  for (const pool of Object.values(byPlatform))
    for (const config of pool.configs) pool.lines.push(...config.split('\n'));
  return byPlatform;
}

/** A small deterministic generator (mulberry32), so a difference can be found again with its seed. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Odd things a config line may hold or be next to: these change how lines split, indent and read. */
const oddities = [
  (line) => `  ${line}`,
  (line) => line.trimStart(),
  (line) => `\t${line}`,
  (line) => `${line}   `,
  (line) => line.replace(' ', '\u00a0'),
  (line) => line.replace(' ', '\u2028'),
  (line) => `${line}\r`,
  () => '',
  () => '   ',
  () => 'banner motd ^C',
  () => '^C',
  () => 'banner login #',
  () => 'banner exec ^Cone line^C',
  () => '#',
  () => ' hsrp 1',
  () => '  vrrp 7',
  () => 'interface Vlan9',
  (line) => line.replace(/(\S+)$/, '"$1"'),
  (line) => line.replace(/(\S+)$/, '"$1 with space"'),
  (line) => `${line} <removed>`,
  (line) => `${line} <secret:0a1b2c>`,
];

function makeConfig(pool, next) {
  const count = 5 + Math.floor(next() * 200);
  const lines = [];
  // Runs of consecutive lines from a capture keep blocks whole; single lines mix blocks.
  while (lines.length < count) {
    if (next() < 0.5) {
      const source = pool.configs[Math.floor(next() * pool.configs.length)].split('\n');
      const at = Math.floor(next() * source.length);
      lines.push(...source.slice(at, at + 1 + Math.floor(next() * 30)));
    } else {
      let line = pool.lines[Math.floor(next() * pool.lines.length)];
      if (next() < 0.3) line = oddities[Math.floor(next() * oddities.length)](line);
      lines.push(line);
    }
  }
  if (next() < 0.7) lines.push('end');
  // Blank and comment lines at either end: the store drops blank edges, a noise rule may blank a `!`.
  const edges = ['', '!', ' !', '   '];
  while (next() < 0.3) lines.unshift(edges[Math.floor(next() * edges.length)]);
  while (next() < 0.3) lines.push(edges[Math.floor(next() * edges.length)]);
  const ending = next() < 0.15 ? '\r\n' : next() < 0.05 ? '\r\r\n' : '\n';
  return lines.join(ending) + (next() < 0.9 ? ending : '');
}

const optionSets = (keyed, noise) => [
  {},
  { placeholder: keyed },
  { placeholder: keyed, noise },
  { sanitize: false, noise },
  { previousBytes: 100_000 },
  { previousBytes: 200, allowShrink: false, evidence: { uploadedFile: true, tsize: 90 } },
];

/** A value JSON can compare: Maps and Sets as their entries, in order. */
const plain = (value) =>
  JSON.stringify(value, (_key, item) =>
    item instanceof Map ? { map: [...item] } : item instanceof Set ? { set: [...item] } : item,
  );

async function loadBuild(build) {
  const load = (file) => import(pathToFileURL(path.resolve(root, build, file)).href);
  const { prepareConfig } = await load('store/prepare.js');
  const { maskSecrets } = await load('store/sanitize.js');
  const { keyedPlaceholder } = await load('store/placeholder-key.js');
  const { noiseRulesFor } = await load('store/noise-rules.js');
  const { platformNamed } = await load('platforms/registry.js');
  const noise = noiseRulesFor(
    {
      ignore: ['^ntp ', { name: 'descriptions', match: 'description .*(uplink|core)' }],
      normalize: [
        { name: 'ospf keys', match: 'message-digest-key (\\d+)', replace: 'mdk $1' },
        { name: 'blank', match: '^ *!$', replace: '' },
        { match: 'key', replace: 'KEY' },
      ],
    },
    { platform: undefined, groups: [] },
  );
  const keyed = keyedPlaceholder(Buffer.alloc(32, 7));
  return (platform, text) => {
    const rules = platformNamed(platform).configRules;
    const prepared = optionSets(keyed, noise).map((options) => prepareConfig(text, rules, options));
    const masked = maskSecrets(text.split(/\r?\n/), rules.secrets, { placeholder: keyed });
    return plain({ prepared, masked });
  };
}

const [before, after] = await Promise.all(builds.map(loadBuild));
const byPlatform = pools();
const next = random(Number(values.seed));
let compared = 0;
const check = (platform, text, what) => {
  compared += 1;
  const a = before(platform, text);
  const b = after(platform, text);
  if (a === b) return;
  const at = [...a].findIndex((char, index) => char !== b[index]);
  console.log(`DIFFERENT: ${what} (${platform}), first difference at char ${at} of the results:`);
  console.log(`${builds[0]}: ...${a.slice(Math.max(0, at - 200), at + 200)}`);
  console.log(`${builds[1]}: ...${b.slice(Math.max(0, at - 200), at + 200)}`);
  console.log(`input: ${JSON.stringify(text)}`);
  process.exit(1);
};
for (const platform of platforms) {
  for (const [index, config] of byPlatform[platform].configs.entries()) {
    check(platform, config, `capture ${index}`);
    check(platform, config.replaceAll('\n', '\r\n'), `capture ${index} with CRLF`);
  }
}
for (let index = 0; index < Number(values.configs); index++) {
  const platform = platforms[index % platforms.length];
  check(platform, makeConfig(byPlatform[platform], next), `generated config ${index} (seed ${values.seed})`);
}
console.log(`${builds[0]} and ${builds[1]}: the same results for ${compared} configs x 7 option sets`);
