// Sanitizer speed: the keyword grammar plus shapes (what the store and the command task apply) on a
// large IOS config, against the same loop with no rules at all, measured in the same run. Not a
// test: it prints figures.   npm run build && node bench/sanitize/bench.mjs   (NETOPS_DIST=dist)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(here, '../../dist'));
const { maskSecrets } = await import(pathToFileURL(path.join(dist, 'store/sanitize.js')).href);
const { iosRules } = await import(pathToFileURL(path.join(dist, 'platforms/ios/config-rules.js')).href);

/** A 200k-line config: the secret-dense fixture once, then access ports as most of a switch config is. */
const fixture = readFileSync(path.join(here, '../../test/store/fixtures/ios-running-config.txt'), 'utf8');
const lines = fixture.split('\n');
for (let i = 0; lines.length < 200_000; i++) {
  lines.push(`interface GigabitEthernet1/0/${i}`, ' description access port', ' switchport access vlan 10');
  lines.push(' switchport mode access', ' spanning-tree portfast', ' ip address 10.0.0.1 255.255.255.0', '!');
}
const dense = [];
while (dense.length < 200_000) dense.push(...fixture.split('\n'));

const none = { keywords: [], mentions: /$^/, shapes: [], freeText: [], textBlocks: [] };
const time = (input, rules) => {
  const started = process.hrtime.bigint();
  maskSecrets(input, rules);
  return Number(process.hrtime.bigint() - started) / 1e6;
};
for (const [name, input] of [
  ['typical', lines],
  ['secret-dense', dense],
]) {
  time(input, iosRules.secrets); // warm-up
  const runs = Array.from({ length: 5 }, () => [time(input, none), time(input, iosRules.secrets)]);
  const median = (values) => values.sort((a, b) => a - b)[2];
  const base = median(runs.map(([b]) => b));
  const rules = median(runs.map(([, r]) => r));
  console.log(
    `${name}: ${input.length} lines, rules ${rules.toFixed(0)} ms (${((rules * 1000) / input.length).toFixed(2)} µs/line), no rules ${base.toFixed(0)} ms, ratio ${(rules / base).toFixed(2)}`,
  );
}
