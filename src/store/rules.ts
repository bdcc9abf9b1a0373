/**
 * Per-platform rules for stored configs: which secrets to mask, which lines are volatile (they
 * change on every fetch without the config changing), how a complete config ends, and which
 * device messages mean the text is not a config at all. Platform files hold the data
 * (`rules/ios.ts`, `rules/nxos.ts`, `rules/frr.ts`); `sanitize.ts` and `prepare.ts` apply it.
 */

/** What replaces a secret value; the rest of the line stays so diffs remain readable. */
export const MASK = '<removed>';

/**
 * Every form a sanitizer placeholder takes in stored text, whatever the platform. A config holding
 * one is not the device's config (installing it would set the placeholder as a password); a new
 * placeholder form (e.g. keyed-hash placeholders) is added here so that every check sees it.
 */
export const PLACEHOLDER_PATTERNS: readonly RegExp[] = [/<removed>/];

/**
 * One kind of secret. Every capture group of `match` that takes part in a match is a secret value
 * and is replaced by {@link MASK}; everything outside the groups is kept. Use `(?:...)` for groups
 * that only structure the pattern. The pattern runs on single lines without the line ending.
 */
export interface SecretRule {
  /** Names the kind of secret, for documentation and for the fixture test that covers it. */
  readonly name: string;
  readonly match: RegExp;
  /**
   * Multi-line keys: the rule applies only to indented lines inside a block whose opening line
   * (any ancestor by indentation) matches this, e.g. `key` under `tacacs server NAME`.
   */
  readonly under?: RegExp;
}

export interface ConfigRules {
  readonly secrets: readonly SecretRule[];
  /** Whole lines dropped before storing: timestamps, byte counts, clock drift. */
  readonly volatile: readonly RegExp[];
  /** The last non-blank line of a complete config matches this (IOS `end`); absent when the OS prints no trailer. */
  readonly endMarker?: RegExp;
  /** A line matching any of these means the device answered with an error instead of (part of) a config. */
  readonly errorMarkers: readonly RegExp[];
}
