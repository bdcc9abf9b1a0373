/**
 * The line-by-line part of preparing a config, after secrets are masked: the platform's volatile
 * lines and the job's `ignore` rules drop lines, its `normalize` rules rewrite them. Every line a
 * rule touched is reported with the rule, so `netops store explain HOST` can say why the stored
 * file differs from what the device sent. Reports hold masked text only.
 */
import type { NoiseRules } from './noise-rules.js';
import { matchesAny } from './regex-union.js';
import type { RuleLines } from './rule-lines.js';

export interface LineRuleRef {
  /** `secret` (the platform's secret grammar), `volatile` (the platform's volatile lines), or a noise rule. */
  readonly kind: 'secret' | 'volatile' | 'ignore' | 'normalize';
  /** The secret keyword or shape name, or the noise rule's label (its name and where it is in the job). */
  readonly name: string;
  /** The regular expression, for volatile and noise rules. */
  readonly pattern?: string;
}

export interface LineChange {
  /** 1-based line number in the config as received (line endings normalised). */
  readonly received: number;
  /** 1-based line number in the stored file, when the line was kept. */
  readonly stored?: number;
  readonly action: 'masked' | 'dropped' | 'normalized';
  readonly rule: LineRuleRef;
  /** The line after the change (the dropped line itself for `dropped`), secrets masked. */
  readonly text: string;
  /** For `normalized`: the line before the rule, secrets masked. */
  readonly before?: string;
}

export interface LineRulesInput {
  /** The received lines, secrets masked. */
  readonly lines: readonly string[];
  /** Line index -> the secret rules that masked it (`MaskResult.lineHits`). */
  readonly maskedBy: ReadonlyMap<number, readonly string[]>;
  readonly volatile: readonly RegExp[];
  readonly noise: NoiseRules;
  /** Lines no rule's pattern matches (0): kept as they are without testing each rule (`ruleLines`). */
  readonly ruleLines?: RuleLines;
}

export interface LineRulesResult {
  readonly kept: string[];
  readonly changes: LineChange[];
}

export function applyLineRules(input: LineRulesInput): LineRulesResult {
  const { lines } = input;
  // At most a kept line per line: made at its full length once and cut to what was kept, where a
  // list grown by push copied itself a dozen times over (some 40 KB of garbage per 50 KB config).
  const kept: string[] = new Array<string>(lines.length);
  let keptCount = 0;
  const changes: LineChange[] = [];
  // Per change, the index of its line among the kept ones (-1: dropped); the store drops blank lines at
  // both ends (prepare.ts `joinLines`), so a stored number counts from the first non-blank kept line.
  const keptAt: number[] = [];
  let first = -1;
  const rewrites = input.noise.normalize.length > 0;
  const volatile = matchesAny(input.volatile);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const quiet = input.ruleLines?.[index] === 0;
    const maskedBy = quiet || input.maskedBy.size === 0 ? undefined : input.maskedBy.get(index);
    const dropRule = quiet ? undefined : dropping(line, volatile(line), input);
    // Most lines meet no rule: kept as they are, nothing allocated.
    if (quiet || (!maskedBy && !dropRule && !rewrites)) {
      if (first < 0 && line.trim() !== '') first = keptCount;
      kept[keptCount++] = line;
      continue;
    }
    const received = index + 1;
    const found: LineChange[] = [];
    // A line's rule names, each once (a keyword masking two values of the line names it twice).
    const names = maskedBy && maskedBy.length > 1 ? new Set(maskedBy) : (maskedBy ?? []);
    for (const name of names)
      found.push({ received, action: 'masked', rule: { kind: 'secret', name }, text: line });
    if (dropRule) {
      found.push({ received, action: 'dropped', rule: dropRule, text: line });
      for (const change of found) {
        changes.push(change);
        keptAt.push(-1);
      }
      continue;
    }
    const text = normalize(line, received, input.noise, found);
    const at = keptCount;
    if (first < 0 && text.trim() !== '') first = at;
    kept[keptCount++] = text;
    for (const change of found) {
      changes.push(first >= 0 ? withStored(change, at - first + 1) : change);
      keptAt.push(first >= 0 ? at : -1);
    }
  }
  kept.length = keptCount;
  unnumberTrailing(changes, keptAt, kept);
  return { kept, changes };
}

/** Changes to kept lines after the last non-blank one (the store drops them) lose the stored number given them. */
function unnumberTrailing(changes: LineChange[], keptAt: readonly number[], kept: readonly string[]): void {
  const last = kept.findLastIndex((line) => line.trim() !== '');
  for (let index = changes.length - 1; index >= 0; index--) {
    const at = keptAt[index] as number;
    if (at < 0) continue;
    if (at <= last) return;
    const { received, action, rule, text, before } = changes[index] as LineChange;
    changes[index] =
      before === undefined ? { received, action, rule, text } : { received, action, rule, text, before };
  }
}

/** `line` after every normalize rule in turn; each rule that changed it is added to `changes`. */
function normalize(line: string, received: number, noise: NoiseRules, changes: LineChange[]): string {
  let text = line;
  for (const rule of noise.normalize) {
    const next = text.replace(rule.match, rule.replace ?? '');
    if (next === text) continue;
    const ref: LineRuleRef = { kind: 'normalize', name: rule.label, pattern: rule.match.source };
    changes.push({ received, action: 'normalized', rule: ref, text: next, before: text });
    text = next;
  }
  return text;
}

/**
 * The platform's volatile pattern or the job's ignore rule that drops `line`, if any (volatile
 * first). `isVolatile` is the one-test answer for the volatile patterns: which one matched is
 * looked up only for the few lines that are.
 */
function dropping(line: string, isVolatile: boolean, input: LineRulesInput): LineRuleRef | undefined {
  if (isVolatile) {
    const volatile = input.volatile.find((pattern) => pattern.test(line)) as RegExp;
    return { kind: 'volatile', name: 'volatile line', pattern: volatile.source };
  }
  for (const rule of input.noise.ignore) {
    if (rule.match.test(line)) return { kind: 'ignore', name: rule.label, pattern: rule.match.source };
  }
  return undefined;
}

/**
 * `{ ...change, stored }`, same fields in the same order, written out: a spread of changes of two
 * shapes (with and without `before`) takes V8's slow path, some 4 us per change against 0.1.
 */
function withStored(change: LineChange, stored: number): LineChange {
  const { received, action, rule, text, before } = change;
  return before === undefined
    ? { received, action, rule, text, stored }
    : { received, action, rule, text, before, stored };
}
