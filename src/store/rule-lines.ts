/**
 * Which lines of a config any rule could act on: a secret shape or keyword stem, a text block's
 * opening, a volatile line, an error marker, a job's ignore or normalize rule. One union test per
 * line answers for all of them, where each step testing its own patterns scanned every line four
 * or five times; some nine lines in ten of a config meet none, and the steps pass them over.
 */
import type { NoiseRules } from './noise-rules.js';
import { unionTest } from './regex-union.js';
import type { ConfigRules } from './rules.js';

/** Per line index: 1 where some rule's pattern matches the line, 0 where none does. */
export type RuleLines = Uint8Array;

/** The platform's union, built once per rule set (the job's noise rules come per host: never cached). */
const platformTests = new WeakMap<ConfigRules, (line: string) => boolean>();

export function ruleLines(lines: readonly string[], rules: ConfigRules, noise: NoiseRules): RuleLines {
  const noisy = noise.ignore.length + noise.normalize.length > 0;
  let test = noisy ? undefined : platformTests.get(rules);
  if (!test) {
    test = unionTest([
      ...patternsOf(rules),
      ...noise.ignore.map((rule) => rule.match),
      ...noise.normalize.map((rule) => rule.match),
    ]);
    if (!noisy) platformTests.set(rules, test);
  }
  const met = new Uint8Array(lines.length);
  for (let index = 0; index < lines.length; index++) if (test(lines[index] as string)) met[index] = 1;
  return met;
}

function patternsOf(rules: ConfigRules): RegExp[] {
  const { secrets } = rules;
  return [
    ...secrets.shapes.map((shape) => shape.match),
    secrets.mentions,
    ...secrets.textBlocks,
    ...rules.volatile,
    ...rules.errorMarkers,
  ];
}
