/**
 * The lines at the head of a received config that the store drops whatever they say: NX-OS's
 * `!Time:` (new at every fetch) and `!Running configuration last done at:`, IOS's `! NVRAM config
 * last updated at` (new at every `write memory`), its size line. A backup that receives the text
 * its stored copy was made from, but for these lines, would store the very same copy; the MAC of a
 * received text (received-mac.ts) leaves them out so that such a backup is `unchanged` without
 * sanitizing.
 *
 * Left out only where the full path provably drops the line unchanged: in the head of the text
 * (before its first line that is neither blank, a `!` comment nor a volatile line: no block or
 * banner is open there), at column 0 (block nesting cannot differ), matching a volatile pattern,
 * and matching no secret shape, keyword stem, text-block opening, error marker or noise rule (so
 * masking leaves it as it is, and the volatile rule, which applies before any noise rule, drops
 * it). A text with a carriage return is left whole: its lines are the split's business.
 */
import { matchesAny, unionTest } from './regex-union.js';
import type { NoiseRules } from './noise-rules.js';
import type { ConfigRules } from './rules.js';

/** The text without its droppable head lines, as the parts between them (one part: none left out). */
export function withoutVolatileHead(raw: string, rules: ConfigRules, noise: NoiseRules): string[] {
  if (raw.includes('\r')) return [raw];
  const volatile = matchesAny(rules.volatile);
  const touched = touchTest(rules, noise);
  const parts: string[] = [];
  let partStart = 0;
  let start = 0;
  while (start < raw.length) {
    const end = raw.indexOf('\n', start);
    const stop = end < 0 ? raw.length : end;
    const line = raw.slice(start, stop);
    const isVolatile = volatile(line);
    if (line !== '' && !line.startsWith('!') && !isVolatile) break;
    if (isVolatile && !/^\s/.test(line) && !touched(line)) {
      parts.push(raw.slice(partStart, start));
      partStart = stop;
    }
    start = stop + 1;
  }
  parts.push(raw.slice(partStart));
  return parts;
}

/** Platform unions, built once per rule set (a job's noise rules come per host: never cached). */
const platformTouch = new WeakMap<ConfigRules, (line: string) => boolean>();

/** Whether any rule but a volatile one could act on a line. */
function touchTest(rules: ConfigRules, noise: NoiseRules): (line: string) => boolean {
  const noisy = noise.ignore.length + noise.normalize.length > 0;
  let test = noisy ? undefined : platformTouch.get(rules);
  if (!test) {
    const { secrets } = rules;
    test = unionTest([
      ...secrets.shapes.map((shape) => shape.match),
      secrets.mentions,
      ...secrets.textBlocks,
      ...rules.errorMarkers,
      ...noise.ignore.map((rule) => rule.match),
      ...noise.normalize.map((rule) => rule.match),
    ]);
    if (!noisy) platformTouch.set(rules, test);
  }
  return test;
}
