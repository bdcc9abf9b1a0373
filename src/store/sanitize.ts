/**
 * Applies a platform's secret rules line by line: each secret value becomes a placeholder, the rest
 * of the line stays. Shapes run first (positional and rest-of-line secrets), then the keyword
 * grammar on what is left. Block context (for shapes with `under`) follows indentation, the way
 * IOS, NX-OS and FRR nest sub-commands; free text (descriptions, banners) is not read as keywords.
 */
import { matchesAny } from './regex-union.js';
import type { RuleLines } from './rule-lines.js';
import { MASK, type SecretRules } from './rules.js';
import { findKeywordSecrets } from './secret-keywords.js';

export interface MaskOptions {
  /** What replaces a secret value. @default () => MASK */
  readonly placeholder?: (secret: string) => string;
  /** Lines no rule's pattern matches (0), passed over without testing each rule (`ruleLines`). */
  readonly ruleLines?: RuleLines;
}

export interface MaskResult {
  readonly lines: string[];
  /** Lines where at least one value was masked. */
  readonly masked: number;
  /** Matches per shape or keyword name, so fixture tests can prove every rule is exercised. */
  readonly hits: ReadonlyMap<string, number>;
  /** Line index -> the shapes and keywords that masked something in it (masked lines only). */
  readonly lineHits: ReadonlyMap<number, readonly string[]>;
}

export function maskSecrets(
  lines: readonly string[],
  rules: SecretRules,
  options: MaskOptions = {},
): MaskResult {
  const placeholder = options.placeholder ?? (() => MASK);
  const out: string[] = [];
  const hits = new Map<string, number>();
  const lineHits = new Map<number, string[]>();
  let lineNames: string[] | undefined;
  const hit = (name: string) => {
    hits.set(name, (hits.get(name) ?? 0) + 1);
    (lineNames ??= []).push(name);
  };
  let masked = 0;
  // Opening lines of the blocks the current line is nested in, outermost first.
  const parents: Array<{ indent: number; text: string }> = [];
  const anyShape = matchesAny(rules.shapes);
  const freeText = matchesAny(rules.freeText);
  const met = options.ruleLines;
  const inTextBlock = textBlockLines(lines, rules.textBlocks, met);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    // The first non-blank character's column is the indent; -1 for a blank line (nothing allocated).
    const firstChar = firstNonBlank(line);
    const blank = firstChar < 0;
    const indent = blank ? line.length : firstChar;
    if (!blank) {
      while (parents.length > 0 && (parents.at(-1) as { indent: number }).indent >= indent) parents.pop();
    }
    let text = line;
    lineNames = undefined;
    const quiet = met?.[index] === 0;
    // Most lines meet no shape: one union test, no loop.
    if (!quiet && anyShape(line)) {
      for (const rule of rules.shapes) {
        if (rule.under && (indent === 0 || !parents.some((parent) => rule.under?.test(parent.text))))
          continue;
        const replaced = maskMatch(text, rule.match, placeholder);
        if (replaced === undefined) continue;
        hit(rule.name);
        text = replaced;
      }
    }
    if (!quiet && !inTextBlock.has(index) && rules.mentions.test(line) && !freeText(line)) {
      const spans = findKeywordSecrets(text, rules.keywords).sort((a, b) => b.start - a.start);
      for (const span of spans) {
        hit(span.keyword);
        text =
          text.slice(0, span.start) + placeholder(text.slice(span.start, span.end)) + text.slice(span.end);
      }
    }
    if (text !== line) {
      masked += 1;
      lineHits.set(index, lineNames ?? []);
    }
    out.push(text);
    if (!blank) parents.push({ indent, text: line });
  }
  return { lines: out, masked, hits, lineHits };
}

const nonBlank = /\S/;

/**
 * `line.search(/\S/)`: config lines start with spaces or a printable ASCII character, read here
 * without a regex call per line; anything else (a tab, a non-ASCII space) asks the regex.
 */
function firstNonBlank(line: string): number {
  let at = 0;
  while (line.charCodeAt(at) === 32) at++;
  if (at === line.length) return -1;
  const code = line.charCodeAt(at);
  return code > 32 && code < 127 ? at : line.search(nonBlank);
}

/**
 * Indexes of the lines inside multi-line free text (IOS `banner motd ^C` ... `^C`), opening and
 * closing lines included. A block that never closes (a cut capture, an odd delimiter) covers its
 * opening line only: the rest is read as config, so a secret after it is still masked.
 */
function textBlockLines(
  lines: readonly string[],
  openers: readonly RegExp[],
  met: RuleLines | undefined,
): Set<number> {
  const inside = new Set<number>();
  for (let index = 0; index < lines.length; index++) {
    if (met?.[index] === 0) continue;
    const line = lines[index] as string;
    const match = openingMatch(line, openers);
    if (!match?.[1]) continue;
    inside.add(index);
    const delimiter = match[1];
    if (line.slice(match.index + match[0].length).includes(delimiter)) continue;
    const close = lines.findIndex((later, at) => at > index && later.includes(delimiter));
    if (close < 0) continue;
    for (let at = index + 1; at <= close; at++) inside.add(at);
    index = close;
  }
  return inside;
}

/** The first opener's match that captured a delimiter (one call per line: no array per line). */
function openingMatch(line: string, openers: readonly RegExp[]): RegExpExecArray | undefined {
  for (const opener of openers) {
    const match = opener.exec(line);
    if (match?.[1] !== undefined) return match;
  }
  return undefined;
}

const withIndices = new WeakMap<RegExp, RegExp>();

/** The line with every participating capture group of `pattern` replaced by its placeholder. */
function maskMatch(
  line: string,
  pattern: RegExp,
  placeholder: (secret: string) => string,
): string | undefined {
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
    text = text.slice(0, start) + placeholder(line.slice(start, end)) + text.slice(end);
    floor = start;
  }
  return text;
}
