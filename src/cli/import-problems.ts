/**
 * What import sources could not map, as printed on every run that reads them (and so mailed by
 * cron): each problem with its origin and hint, up to a screenful; `netops inventory import` shows
 * the whole list.
 */
import type { ImportProblem } from '../config/import/imported.js';

/** Problems named in full before the rest is counted. */
const SHOWN = 20;

export function formatImportProblems(problems: readonly ImportProblem[]): string[] {
  const lines = problems
    .slice(0, SHOWN)
    .map((p) => `warning: import: ${p.origin}: ${p.message}\n  hint: ${p.hint}`);
  if (problems.length > SHOWN)
    lines.push(
      `warning: import: ${problems.length - SHOWN} more problems; \`netops inventory import\` of the same source lists them all`,
    );
  return lines;
}
