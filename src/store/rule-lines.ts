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

/** A line test for the rules (with or without the volatile lines) and the job's noise rules. */
type LineTest = (line: string) => boolean;

/** The platform's unions, built once per rule set (the job's noise rules come per host: never cached). */
const platformTests = new WeakMap<ConfigRules, { all?: LineTest; notVolatile?: LineTest }>();

export function ruleLines(lines: readonly string[], rules: ConfigRules, noise: NoiseRules): RuleLines {
  const test = ruleTest(rules, noise);
  const met = new Uint8Array(lines.length);
  for (let index = 0; index < lines.length; index++) if (test(lines[index] as string)) met[index] = 1;
  return met;
}

/**
 * Whether any rule's pattern matches a line: a secret shape or keyword stem, a text block's opening,
 * an error marker, a noise rule, and with `volatile` the platform's volatile lines.
 */
export function ruleTest(rules: ConfigRules, noise: NoiseRules, volatile = true): LineTest {
  const noisy = noise.ignore.length + noise.normalize.length > 0;
  const kind = volatile ? 'all' : 'notVolatile';
  const cached = noisy ? undefined : platformTests.get(rules);
  let test = cached?.[kind];
  if (!test) {
    test = unionTest([
      ...patternsOf(rules, volatile),
      ...noise.ignore.map((rule) => rule.match),
      ...noise.normalize.map((rule) => rule.match),
    ]);
    if (!noisy) platformTests.set(rules, { ...cached, [kind]: test });
  }
  return test;
}

function patternsOf(rules: ConfigRules, volatile: boolean): RegExp[] {
  const { secrets } = rules;
  return [
    ...secrets.shapes.map((shape) => shape.match),
    secrets.mentions,
    ...secrets.textBlocks,
    ...(volatile ? rules.volatile : []),
    ...rules.errorMarkers,
  ];
}
