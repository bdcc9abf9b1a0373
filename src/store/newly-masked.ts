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
  const added: string[] = [];
  for (const line of next.split('\n')) {
    const left = unmatched.get(line);
    if (left) unmatched.set(line, left - 1);
    else added.push(line);
  }
  const gone = [...unmatched].filter(([, left]) => left > 0).map(([line]) => line);
  let count = 0;
  let pairs = 0;
  for (const line of added) {
    const pattern = clearFormOf(line);
    if (!pattern) continue;
    pairs += gone.length;
    if (pairs > MOST_PAIRS) break;
    if (gone.some((old) => heldInClear(pattern, old))) count++;
  }
  return count;
}

/** `line` with each placeholder as a group that takes any text, or undefined when it has none. */
function clearFormOf(line: string): RegExp | undefined {
  const parts = line.split(placeholders);
  if (parts.length === 1) return undefined;
  return new RegExp(`^${parts.map(escape).join('(.+?)')}$`);
}

/** `old` is the line with at least one of its masked values in clear. */
function heldInClear(pattern: RegExp, old: string): boolean {
  const match = pattern.exec(old);
  return match !== null && match.slice(1).some((value) => !onlyPlaceholder.test(value as string));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
