/**
 * Lines that a host's new stored copy masks and the copy it replaces held in clear. A netops that
 * learns a secret shape stores each affected config again at its next backup; the earlier commits
 * still hold those values, and the reader of that "changed" must know it is the sanitizer that
 * changed, and that the history holds a secret.
 */
import { PLACEHOLDER_PATTERNS } from './rules.js';

const anyPlaceholder = PLACEHOLDER_PATTERNS.map((pattern) => pattern.source).join('|');
const placeholders = new RegExp(anyPlaceholder);
const onlyPlaceholder = new RegExp(`^(?:${anyPlaceholder})$`);

/**
 * Pairs are looked for only among lines that differ, and a pair must agree outside the placeholders:
 * a line whose secret changed (one placeholder for another) or that is new in the config does not
 * count. Past this many candidate pairs the count stops (a config rewritten whole is no upgrade).
 */
const MOST_PAIRS = 1_000_000;

/** How many lines of `next` mask text that the same line of `previous` held in clear. */
export function newlyMaskedLines(previous: string, next: string): number {
  // Lines as a multiset: two communities stored as `snmp-server community <removed> RO` are two lines.
  const unmatched = new Map<string, number>();
  for (const line of previous.split('\n')) unmatched.set(line, (unmatched.get(line) ?? 0) + 1);
  const added: RegExp[] = [];
  for (const line of next.split('\n')) {
    const left = unmatched.get(line);
    if (left) unmatched.set(line, left - 1);
    else {
      const pattern = clearFormOf(line);
      if (pattern) added.push(pattern);
    }
  }
  // Each earlier line pairs with one line at most, and first with a line it already masked alike: a
  // type 0 ` key <secret:...>` is the earlier ` key <removed>`, not ` key 7 <removed>` (`7 <removed>`
  // would read as a value held in clear).
  let pairs = 0;
  const pairOff = (patterns: readonly RegExp[], held: (pattern: RegExp, old: string) => boolean) =>
    patterns.filter((pattern) => {
      pairs += unmatched.size;
      if (pairs > MOST_PAIRS) return false;
      for (const [old, left] of unmatched) {
        if (left === 0 || !held(pattern, old)) continue;
        unmatched.set(old, left - 1);
        return true;
      }
      return false;
    });
  const maskedBefore = new Set(pairOff(added, maskedAlike));
  return pairOff(
    added.filter((pattern) => !maskedBefore.has(pattern)),
    heldInClear,
  ).length;
}

/** `line` with each placeholder as a group that takes any text, or undefined when it has none. */
function clearFormOf(line: string): RegExp | undefined {
  const parts = line.split(placeholders);
  if (parts.length === 1) return undefined;
  return new RegExp(`^${parts.map(escape).join('(.+?)')}$`);
}

/** `old` is the line with every one of its masked values masked too (the same or another placeholder). */
function maskedAlike(pattern: RegExp, old: string): boolean {
  const match = pattern.exec(old);
  return match !== null && match.slice(1).every((value) => onlyPlaceholder.test(value as string));
}

/** `old` is the line with at least one of its masked values in clear. */
function heldInClear(pattern: RegExp, old: string): boolean {
  const match = pattern.exec(old);
  return match !== null && match.slice(1).some((value) => !onlyPlaceholder.test(value as string));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
