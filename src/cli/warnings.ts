/**
 * Load-time warnings as printed on every run (and mailed by cron): one entry per kind of warning,
 * naming every place it occurs, instead of one block per place. The same warning at 40 places (a
 * plain-text secret in each credential set) is two lines, not 160.
 */
import { formatIssue, type ConfigIssue } from '../config/diagnostics.js';

/** Places named in full before the rest is counted. */
const SHOWN_PLACES = 5;

export function formatWarnings(issues: readonly ConfigIssue[]): string[] {
  const groups = new Map<string, ConfigIssue[]>();
  for (const issue of issues) {
    const key = `${issue.message}\n${issue.hint ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), issue]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [ConfigIssue, ...ConfigIssue[]];
    if (group.length === 1) return `warning: ${formatIssue(first)}`;
    const places = group
      .slice(0, SHOWN_PLACES)
      .map(({ pos, path }) => `${pos.file}:${pos.line}:${pos.col}${path ? ` (${path})` : ''}`);
    const more = group.length > SHOWN_PLACES ? ` and ${group.length - SHOWN_PLACES} more` : '';
    const hint = first.hint ? `\n  hint: ${first.hint}` : '';
    return `warning: ${first.message} at ${group.length} places: ${places.join(', ')}${more}${hint}`;
  });
}
