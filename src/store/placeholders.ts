/**
 * Finds sanitizer placeholders in a config: a masked config must never be installed on a device
 * (the placeholder would become the password), so restore and startup-config workflows refuse text
 * where this finds anything.
 */
import { PLACEHOLDER_PATTERNS } from './rules.js';

export interface PlaceholderLine {
  /** 1-based line number. */
  readonly line: number;
  /** The whole line, as found (it holds placeholders, not secrets). */
  readonly text: string;
}

export function findSecretPlaceholders(text: string): PlaceholderLine[] {
  const found: PlaceholderLine[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (const [index, line] of lines.entries()) {
    if (PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(line)))
      found.push({ line: index + 1, text: line });
  }
  return found;
}
