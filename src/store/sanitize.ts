/**
 * Applies secret rules line by line: each captured secret value becomes `<removed>`, the rest of
 * the line stays. Block context (for rules with `under`) follows indentation, the way IOS, NX-OS
 * and FRR nest sub-commands.
 */
import { MASK, type SecretRule } from './rules.js';

export interface MaskResult {
  readonly lines: string[];
  /** Lines where at least one value was masked. */
  readonly masked: number;
  /** Matches per rule name, so fixture tests can prove every rule is exercised. */
  readonly hits: ReadonlyMap<string, number>;
}

export function maskSecrets(lines: readonly string[], rules: readonly SecretRule[]): MaskResult {
  const out: string[] = [];
  const hits = new Map<string, number>();
  let masked = 0;
  // Opening lines of the blocks the current line is nested in, outermost first.
  const parents: Array<{ indent: number; text: string }> = [];
  const anyRule = prefilter(rules);
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== '') {
      while (parents.length > 0 && (parents.at(-1) as { indent: number }).indent >= indent) parents.pop();
    }
    let text = line;
    for (const rule of anyRule.test(line) ? rules : []) {
      if (rule.under && (indent === 0 || !parents.some((parent) => rule.under?.test(parent.text)))) continue;
      const replaced = maskMatch(text, rule.match);
      if (replaced === undefined) continue;
      hits.set(rule.name, (hits.get(rule.name) ?? 0) + 1);
      text = replaced;
    }
    if (text !== line) masked += 1;
    out.push(text);
    if (line.trim() !== '') parents.push({ indent, text: line });
  }
  return { lines: out, masked, hits };
}

const combined = new WeakMap<readonly SecretRule[], RegExp>();

/** One regex matching wherever any rule could: most config lines hold no secret and are passed
 * over with a single test instead of one per rule. */
function prefilter(rules: readonly SecretRule[]): RegExp {
  let regex = combined.get(rules);
  if (!regex) {
    const flags = new Set(rules.map((rule) => rule.match.flags.replace(/[gdy]/g, '')));
    regex =
      flags.size === 1
        ? new RegExp(rules.map((rule) => `(?:${rule.match.source})`).join('|'), [...flags][0])
        : /(?:)/; // mixed flags: no shortcut
    combined.set(rules, regex);
  }
  return regex;
}

const withIndices = new WeakMap<RegExp, RegExp>();

/** The line with every participating capture group of `pattern` replaced by the mask. */
function maskMatch(line: string, pattern: RegExp): string | undefined {
  let regex = withIndices.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern.source, pattern.flags.replace('g', '') + (pattern.hasIndices ? '' : 'd'));
    withIndices.set(pattern, regex);
  }
  const match = regex.exec(line);
  if (!match?.indices) return undefined;
  const spans = match.indices
    .slice(1)
    .filter((span): span is [number, number] => span !== undefined)
    .sort((a, b) => b[0] - a[0]);
  let text = line;
  let floor = Infinity;
  for (const [start, end] of spans) {
    if (end > floor) continue; // nested in a span already masked
    text = text.slice(0, start) + MASK + text.slice(end);
    floor = start;
  }
  return text;
}
