/**
 * "Does any of these patterns match?" as one regular expression test instead of one per pattern:
 * most config lines meet none of a platform's secret shapes or error markers, and a config has
 * thousands of lines. The union is built once per pattern list (the lists are module constants),
 * so no host pays for compiling it.
 */

/** A pattern, a rule (its `match`) or a secret keyword (its `word`). */
type Listed = RegExp | { readonly match: RegExp } | { readonly word: RegExp };

const unions = new WeakMap<readonly Listed[], (text: string) => boolean>();

/**
 * A test true when at least one of `list`'s patterns (regexes, rules' `match`, keywords' `word`) matches
 * `text`; false for an empty list. Kept per list: pass the rule list itself, not a copy.
 */
export function matchesAny(list: readonly Listed[]): (text: string) => boolean {
  let test = unions.get(list);
  if (!test) {
    test = unionTest(
      list.map((item) => (item instanceof RegExp ? item : 'match' in item ? item.match : item.word)),
    );
    unions.set(list, test);
  }
  return test;
}

/** Back-references and named groups change meaning (or clash) inside a union: those lists test one by one. */
const numbered = /\\[1-9]|\\k<|\(\?<(?![=!])/;

/**
 * The test of `matchesAny`, built afresh: for a list made per call (a host's own noise rules among
 * the platform's patterns), which no cache could hold.
 */
export function unionTest(patterns: readonly RegExp[]): (text: string) => boolean {
  if (patterns.length === 0) return () => false;
  // `g` and `y` make a test depend on the last one (a normalize rule is global): tests use copies without them.
  const stateless = patterns.map((pattern) =>
    /[gy]/.test(pattern.flags) ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern,
  );
  // `d` only adds indices.
  const flags = new Set(stateless.map((pattern) => pattern.flags.replace('d', '')));
  if (flags.size !== 1 || stateless.some((pattern) => numbered.test(pattern.source)))
    return (text) => stateless.some((pattern) => pattern.test(text));
  const union = new RegExp(stateless.map((pattern) => `(?:${pattern.source})`).join('|'), [...flags][0]);
  return (text) => union.test(text);
}
