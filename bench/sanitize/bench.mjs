// Sanitizer speed: the keyword grammar plus shapes (what the store and the command task apply) on a
// large IOS config, against the same loop with no rules at all, measured in the same run; and a
// 50 KB IOS config (the fixture, then access ports) prepared for the store as a backup does
// (prepareConfig: lines, rule union, secrets, volatile lines, checks, join) against prepareConfig
// with rules that match nothing (what splitting, testing and joining the lines costs alone).
//   npm run bench -- sanitize   (NETOPS_DIST=dist)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const about = {
  title: 'Sanitizer: IOS secret rules over a large config',
  baseline: 'the same sanitizer loop with no rules, same input, same run',
  params: [],
  defaults: { lines: 200_000, runs: 5, configs: 2_000 },
  smoke: { lines: 2_000, runs: 1, configs: 20 },
};

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(here, '../../dist'));

/** A config of `count` lines: the secret-dense fixture once, then access ports as most of a switch config is. */
function inputs(count) {
  const fixture = readFileSync(path.join(here, '../../test/store/fixtures/ios-running-config.txt'), 'utf8');
  const typical = fixture.split('\n');
  for (let i = 0; typical.length < count; i++) {
    typical.push(
      `interface GigabitEthernet1/0/${i}`,
      ' description access port',
      ' switchport access vlan 10',
    );
    typical.push(
      ' switchport mode access',
      ' spanning-tree portfast',
      ' ip address 10.0.0.1 255.255.255.0',
      '!',
    );
  }
  const dense = [];
  while (dense.length < count) dense.push(...fixture.split('\n'));
  return { typical, 'secret-dense': dense };
}

export async function run({ lines, runs, configs }) {
  const { maskSecrets } = await import(pathToFileURL(path.join(dist, 'store/sanitize.js')).href);
  const { iosRules } = await import(pathToFileURL(path.join(dist, 'platforms/ios/config-rules.js')).href);
  const none = { keywords: [], mentions: /$^/, shapes: [], freeText: [], textBlocks: [] };
  const time = (input, rules) => {
    const started = process.hrtime.bigint();
    maskSecrets(input, rules);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = [];
  for (const [name, input] of Object.entries(inputs(lines))) {
    time(input, iosRules.secrets); // warm-up
    const samples = Array.from({ length: runs }, () => [time(input, none), time(input, iosRules.secrets)]);
    const base = median(samples.map(([b]) => b));
    const rules = median(samples.map(([, r]) => r));
    rows.push({
      measure: `${name}, ${input.length} lines`,
      unit: 'ms',
      netops: rules,
      baseline: base,
      baselineName: 'no rules',
    });
    rows.push({ measure: `${name}, per line`, unit: 'us', netops: (rules * 1000) / input.length });
  }
  rows.push(await perConfig(inputs(2_050).typical.join('\n'), configs, runs, iosRules));
  return { rows };
}

/** One 50 KB IOS config through prepareConfig, per config: the IOS rules against rules that match nothing. */
async function perConfig(config, configs, runs, iosRules) {
  const { prepareConfig } = await import(pathToFileURL(path.join(dist, 'store/prepare.js')).href);
  // Fails at the first character: no scan of the line, so the floor is splitting, testing and joining.
  const nothing = /^(?!)/;
  const empty = {
    secrets: { keywords: [], mentions: nothing, shapes: [], freeText: [], textBlocks: [] },
    volatile: [],
    errorMarkers: [],
  };
  const time = (rules) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < configs; i++) prepareConfig(config, rules);
    return Number(process.hrtime.bigint() - started) / 1e3 / configs;
  };
  time(empty); // warm-up, both
  time(iosRules);
  const samples = Array.from({ length: runs }, () => [time(empty), time(iosRules)]);
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    measure: `prepareConfig, ${Buffer.byteLength(config)} bytes IOS config, per config`,
    unit: 'us',
    netops: median(samples.map(([, r]) => r)),
    baseline: median(samples.map(([b]) => b)),
    baselineName: 'rules matching nothing',
  };
}
