/**
 * Problems found in files users write, kept as data (like zod's issues) and formatted separately:
 * `file:line:col path: message`, the source line with a caret, and a hint.
 */
import { NetopsError } from '../core/errors.js';

export interface SourcePosition {
  readonly file: string;
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly col: number;
}

export interface ConfigIssue {
  readonly pos: SourcePosition;
  /** Dotted path in the document, e.g. `hosts.r1.address`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  /** The source line the position points into, for the caret display. */
  readonly sourceLine?: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.pos.file}:${issue.pos.line}:${issue.pos.col}`;
  const lines = [`${where} ${issue.path ? `${issue.path}: ` : ''}${issue.message}`];
  if (issue.sourceLine !== undefined) {
    const shown = issue.sourceLine.length > 100 ? `${issue.sourceLine.slice(0, 100)}…` : issue.sourceLine;
    lines.push(`  ${shown}`, `  ${' '.repeat(Math.max(0, Math.min(issue.pos.col - 1, 100)))}^`);
  }
  if (issue.hint) lines.push(`  hint: ${issue.hint}`);
  return lines.join('\n');
}

/** One error carrying every problem found in one pass, so users fix them all at once. */
export class ConfigInvalidError extends NetopsError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super('CONFIG_INVALID', first ? `${formatIssue(first).split('\n')[0]}${more}` : 'invalid input', {
      hint: 'Fix the file at the position shown; `netops inventory check` and `netops run --plan` re-check it without contacting any device.',
      details: { issues: issues.map((i) => ({ ...i.pos, path: i.path, message: i.message })) },
    });
    this.issues = issues;
  }

  /** Every issue, formatted, for the terminal. */
  report(): string {
    return this.issues.map(formatIssue).join('\n\n');
  }
}
