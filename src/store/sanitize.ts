/**
 * Applies a platform's secret rules line by line: each secret value becomes a placeholder, the rest
 * of the line stays. Shapes run first (positional and rest-of-line secrets), then the keyword
 * grammar on what is left. Block context (for shapes with `under`) follows indentation, the way
 * IOS, NX-OS and FRR nest sub-commands; free text (descriptions, banners) is not read as keywords.
 */
import { matchesAny } from './regex-union.js';
import type { RuleLines } from './rule-lines.js';
import { MASK, type SecretRules } from './rules.js';
import { findKeywordSecrets, type KeywordWords } from './secret-keywords.js';

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
  const placeholder = options.placeholder ?? maskAll;
  // Lines no rule touches are the output as they are: only the lines a rule may act on are visited.
  const out = lines.slice();
  const hits = new Map<string, number>();
  const lineHits = new Map<number, string[]>();
  let masked = 0;
  const anyShape = matchesAny(rules.shapes);
  const freeText = matchesAny(rules.freeText);
  const met = options.ruleLines;
  const inTextBlock = textBlockLines(lines, rules.textBlocks, met);
  let nesting: Nesting | undefined;
  const words: KeywordWords = new Map();
  for (let index = 0; index < lines.length; index++) {
    if (met !== undefined && met[index] === 0) continue;
    const line = lines[index] as string;
    let text = line;
    let names: string[] | undefined;
    // Most lines meet no shape: one union test, no loop.
    if (anyShape(line)) {
      for (const rule of rules.shapes) {
        const replaced = maskMatch(text, rule.match, placeholder);
        if (replaced === undefined) continue;
        if (rule.under && !(nesting ??= new Nesting(lines)).isUnder(index, rule.under)) continue;
        (names ??= []).push(rule.name);
        text = replaced;
      }
    }
    if (!inTextBlock.has(index) && rules.mentions.test(line) && !freeText(line)) {
      const spans = findKeywordSecrets(text, rules.keywords, words).sort((a, b) => b.start - a.start);
      for (const span of spans) {
        (names ??= []).push(span.keyword);
        text =
          text.slice(0, span.start) + placeholder(text.slice(span.start, span.end)) + text.slice(span.end);
      }
    }
    if (names === undefined) continue;
    for (const name of names) hits.set(name, (hits.get(name) ?? 0) + 1);
    if (text !== line) {
      masked += 1;
      lineHits.set(index, names);
      out[index] = text;
    }
  }
  return { lines: out, masked, hits, lineHits };
}

const maskAll = () => MASK;

/**
 * Which blocks a line is nested in, the way IOS, NX-OS and FRR nest sub-commands: a line belongs to
 * the nearest line above it with a smaller indent, and to that line's blocks. Worked out for the
 * whole config the first time a shape with `under` matches a line (NX-OS `authentication text`
 * under `hsrp N`): most configs never ask.
 */
class Nesting {
  /** Per line, the index of the line opening its block; -1 at the top level. */
  readonly #parent: Int32Array;

  constructor(private readonly lines: readonly string[]) {
    this.#parent = new Int32Array(lines.length);
    // Indexes and indents of the lines whose blocks are open at the current line, outermost first.
    const open: number[] = [];
    const indents: number[] = [];
    for (let index = 0; index < lines.length; index++) {
      const indent = firstNonBlank(lines[index] as string);
      // A blank line closes no block: it sits in the blocks of the line before it, that line included.
      if (indent >= 0) {
        while (indents.length > 0 && (indents.at(-1) as number) >= indent) {
          open.pop();
          indents.pop();
        }
      }
      this.#parent[index] = open.at(-1) ?? -1;
      if (indent >= 0) {
        open.push(index);
        indents.push(indent);
      }
    }
  }

  /** Whether a line opening a block that line `index` is nested in matches `opening`. */
  isUnder(index: number, opening: RegExp): boolean {
    const line = this.lines[index] as string;
    const first = firstNonBlank(line);
    // Not indented (a blank line counts its blanks): in no block.
    if ((first < 0 ? line.length : first) === 0) return false;
    for (let at = this.#parent[index] as number; at >= 0; at = this.#parent[at] as number) {
      if (opening.test(this.lines[at] as string)) return true;
    }
    return false;
  }
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

/**
 * The line with every participating capture group of `pattern` replaced by its placeholder, in
 * every match: a `copy scp://u:P@a/f ftp://u:Q@b/f` line holds two passwords.
 */
function maskMatch(
  line: string,
  pattern: RegExp,
  placeholder: (secret: string) => string,
): string | undefined {
  let regex = withIndices.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern.source, `${pattern.flags.replace(/[dgy]/g, '')}dg`);
    withIndices.set(pattern, regex);
  }
  regex.lastIndex = 0;
  let spans: [number, number][] | undefined;
  for (let match = regex.exec(line); match?.indices; match = regex.exec(line)) {
    spans ??= [];
    for (let group = 1; group < match.indices.length; group++) {
      const span = match.indices[group];
      if (span) spans.push(span);
    }
    if (match[0] === '') regex.lastIndex += 1;
  }
  if (!spans) return undefined;
  spans.sort((a, b) => b[0] - a[0]);
  let text = line;
  let floor = Infinity;
  for (const [start, end] of spans) {
    if (end > floor) continue; // nested in a span already masked
    text = text.slice(0, start) + placeholder(line.slice(start, end)) + text.slice(end);
    floor = start;
  }
  return text;
}
