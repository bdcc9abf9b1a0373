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
import { matchesAny } from './regex-union.js';
import { ruleTest } from './rule-lines.js';
import type { NoiseRules } from './noise-rules.js';
import type { ConfigRules } from './rules.js';

/** The text without its droppable head lines, as the parts between them (one part: none left out). */
export function withoutVolatileHead(raw: string, rules: ConfigRules, noise: NoiseRules): string[] {
  if (raw.includes('\r')) return [raw];
  const volatile = matchesAny(rules.volatile);
  // Any rule but a volatile one that could act on a line.
  const touched = ruleTest(rules, noise, false);
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
