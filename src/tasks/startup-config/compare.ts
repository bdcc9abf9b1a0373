/**
 * Does the device's config say what we meant? Both sides are reduced to their significant lines
 * (volatile lines of the platform, comments, blank lines, `version`, `end` and show headers
 * dropped), grouped into top-level sections, and compared regardless of section order (a device
 * sorts and groups its config its own way). Also the masked diff `--plan` shows.
 */
import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import type { ConfigRules } from '../../store/rules.js';
import { maskSecrets } from '../../store/sanitize.js';

export interface ConfigComparison {
  /** Intended lines the device does not have (`parent > child` for nested lines). */
  readonly missing: readonly string[];
  /** Lines the device has that the intended config does not. */
  readonly extra: readonly string[];
}

const insignificant = [
  /^\s*!/,
  /^\s*$/,
  /^version\s/,
  /^end$/,
  /^Building configuration/,
  // IOS writes these around the boot lines of a saved config itself; a file may have them or not.
  /^boot-(start|end)-marker$/,
  /^Current configuration\s*:/,
  /^Using \d+ out of \d+ bytes/,
  /^startup-config is not present/,
];

/** The significant lines as `section` or `section > child` keys. */
export function significantLines(text: string, rules: ConfigRules | undefined): string[] {
  const keys: string[] = [];
  let parent = '';
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const line = raw.trimEnd();
    if ([...insignificant, ...(rules?.volatile ?? [])].some((p) => p.test(line))) continue;
    if (/^\s/.test(line)) keys.push(`${parent} > ${line.trim()}`);
    else {
      parent = line;
      keys.push(line);
    }
  }
  return keys;
}

export function compareConfigs(
  intended: string,
  actual: string,
  rules: ConfigRules | undefined,
): ConfigComparison {
  const want = significantLines(intended, rules);
  const have = significantLines(actual, rules);
  const haveSet = new Set(have);
  const wantSet = new Set(want);
  return {
    missing: want.filter((line) => !haveSet.has(line)),
    extra: have.filter((line) => !wantSet.has(line)),
  };
}

export const configsMatch = (c: ConfigComparison) => c.missing.length === 0 && c.extra.length === 0;

/**
 * The config with every secret value of the platform's rules replaced by the store's mask, or by
 * `placeholder` (the store's keyed placeholders: a changed secret then shows as a changed line).
 */
export function maskConfig(
  text: string,
  rules: ConfigRules | undefined,
  placeholder?: (secret: string) => string,
): string {
  if (!rules) return text;
  return maskSecrets(text.split('\n'), rules.secrets, placeholder ? { placeholder } : {}).lines.join('\n');
}

let jsdiff: typeof Diff | undefined;

/** A unified diff with secrets masked on both sides, for output people and logs see. */
export function maskedDiff(
  before: { label: string; text: string },
  after: { label: string; text: string },
  rules: ConfigRules | undefined,
  placeholder?: (secret: string) => string,
): string {
  const mask = (text: string) => maskConfig(text, rules, placeholder);
  // Required on the first diff rather than imported at start-up: every plan would load its 19 modules.
  const { createTwoFilesPatch } = (jsdiff ??= createRequire(import.meta.url)('diff') as typeof Diff);
  const patch = createTwoFilesPatch(before.label, after.label, mask(before.text), mask(after.text), '', '', {
    context: 2,
  });
  // Drop the `===` banner and keep `---`/`+++` and the hunks.
  return patch
    .split('\n')
    .filter((line) => !/^=+$/.test(line) && !line.startsWith('Index:'))
    .join('\n')
    .trimEnd();
}
