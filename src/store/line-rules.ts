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
  const kept: string[] = [];
  // Each change with the index of its line among the kept ones; stored numbers come once the blank edges are known.
  const found: Array<{ change: LineChange; at?: number }> = [];
  const rewrites = input.noise.normalize.length > 0;
  const { lines } = input;
  const volatile = matchesAny(input.volatile);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (input.ruleLines?.[index] === 0) {
      kept.push(line);
      continue;
    }
    const maskedBy = input.maskedBy.size > 0 ? input.maskedBy.get(index) : undefined;
    const dropRule = dropping(line, volatile(line), input);
    // Most lines meet no rule: kept as they are, nothing allocated.
    if (!maskedBy && !dropRule && !rewrites) {
      kept.push(line);
      continue;
    }
    const received = index + 1;
    const changes: LineChange[] = [];
    for (const name of new Set(maskedBy))
      changes.push({ received, action: 'masked', rule: { kind: 'secret', name }, text: line });
    if (dropRule) {
      for (const change of changes) found.push({ change });
      found.push({ change: { received, action: 'dropped', rule: dropRule, text: line } });
      continue;
    }
    const text = normalize(line, received, input.noise, changes);
    for (const change of changes) found.push({ change, at: kept.length });
    kept.push(text);
  }
  return { kept, changes: numberStored(found, kept) };
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

/** Stored line numbers: the store drops blank lines at both ends (prepare.ts `joinLines`). */
function numberStored(
  found: ReadonlyArray<{ change: LineChange; at?: number }>,
  kept: readonly string[],
): LineChange[] {
  const first = kept.findIndex((line) => line.trim() !== '');
  const last = kept.findLastIndex((line) => line.trim() !== '');
  return found.map(({ change, at }) =>
    at === undefined || at < first || at > last ? change : withStored(change, at - first + 1),
  );
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
