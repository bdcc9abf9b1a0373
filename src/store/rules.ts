/**
 * Per-platform rules for stored configs: which secrets to mask, which lines are volatile (they
 * change on every fetch without the config changing), how a complete config ends, and which
 * device messages mean the text is not a config at all. Platform files hold the data
 * (`platforms/<os>/config-rules.ts`); `sanitize.ts` and `prepare.ts` apply it.
 */
import type { SizeAnnouncement } from './completeness.js';

/** What replaces a secret value; the rest of the line stays so diffs remain readable. */
export const MASK = '<removed>';

/** The keyed-hash placeholder: 24 bits of HMAC-SHA256 in hex (`placeholder-key.ts`). */
export const KEYED_PLACEHOLDER = /<secret:[0-9a-f]{6}>/;

/**
 * Every form a sanitizer placeholder takes in stored text, whatever the platform: {@link MASK} and
 * the keyed-hash form `<secret:7f3a9c>` (`placeholder-key.ts`). A config holding one is not the
 * device's config (installing it would set the placeholder as a password); a new placeholder form
 * is added here so that every check sees it.
 */
export const PLACEHOLDER_PATTERNS: readonly RegExp[] = [/<removed>/, KEYED_PLACEHOLDER];

/**
 * One kind of secret. Every capture group of `match` that takes part in a match, in each match of
 * the line, is a secret value and is replaced by a placeholder; everything outside the groups is
 * kept. Use `(?:...)` for groups that only structure the pattern. The pattern runs on single lines
 * without the line ending.
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

/**
 * A word after which a secret value follows: `password`, `key`, `community`... The value is the
 * next token once qualifiers are skipped: type digits (`7`), key ids and bit sizes (`1`, `128`),
 * words like `encrypted`/`ascii`/`hidden`, and algorithm names (`md5`, `sha`, `aes`), so
 * `message-digest-key 1 md5 7 X`, `set-key ascii 0 X` and `auth sha X` all find `X`. A word that is
 * itself a keyword is never a value (`psk set-key ascii 0 X`, `key config-key password-encrypt X`).
 */
export interface SecretKeyword {
  /** Names the keyword, for documentation and the fixture tests. */
  readonly name: string;
  /** Matches the whole token. */
  readonly word: RegExp;
  /** The keyword counts only on lines matching this (`community` only on `snmp` lines, not route-maps). */
  readonly on?: RegExp;
  /** The keyword does not count on lines matching this (`ntp server A key 1 prefer`: a key id). */
  readonly notOn?: RegExp;
  /** The token right after the keyword that makes it a command word, not a secret (`key chain`, `password encryption`). */
  readonly notBefore?: RegExp;
  /**
   * Only a secret position when an algorithm qualifier follows or the value is key material:
   * `auth sha X` is a key, `snmp-server group G v3 auth read V` and `... version 3 priv USER` are not.
   */
  readonly qualified?: boolean;
  /** The value must look like this unless a type digit precedes it (an algorithm word is followed by hex key material, not `level-1`). */
  readonly value?: RegExp;
  /**
   * The value is the very next token, whatever it looks like: an SNMP community can be `12345`,
   * `md5` or `secret`, which the qualifier and keyword tests would pass over.
   */
  readonly positional?: boolean;
}

/**
 * A platform's secret grammar: keywords catch the shapes that read `KEYWORD [qualifiers] VALUE`,
 * whether or not anyone listed them; `shapes` hold the few that cannot be read that way (a positional
 * community in `snmp-server host`, IOS passwords that run to the end of the line with spaces).
 */
export interface SecretRules {
  readonly keywords: readonly SecretKeyword[];
  /**
   * Matches somewhere in every line any keyword could match in (their stems: `pass`, `key`...):
   * most config lines hold no keyword and are passed over with one test instead of being tokenized.
   */
  readonly mentions: RegExp;
  readonly shapes: readonly SecretRule[];
  /** Lines of free text (descriptions, remarks, contacts): their words are not keywords. */
  readonly freeText: readonly RegExp[];
  /**
   * Opening lines of multi-line free text (banners): group 1 is the delimiter, the block ends on the
   * next line holding it again. The text between is kept as is.
   */
  readonly textBlocks: readonly RegExp[];
}

export interface ConfigRules {
  readonly secrets: SecretRules;
  /** Whole lines dropped before storing: timestamps, byte counts, clock drift. */
  readonly volatile: readonly RegExp[];
  /** The last non-blank line of a complete config matches this (IOS `end`); absent when the OS prints no trailer. */
  readonly endMarker?: RegExp;
  /** Where the device states the config's size (completeness.ts compares it with what arrived). */
  readonly sizeAnnouncements?: readonly SizeAnnouncement[];
  /** A line matching any of these means the device answered with an error instead of (part of) a config. */
  readonly errorMarkers: readonly RegExp[];
}
