/**
 * Group membership: a group's ancestry is itself, then the groups it lists, depth first in listed
 * order. A cycle or an unknown name is reported where it is written.
 */
import type { ConfigIssue } from './diagnostics.js';
import type { Defined, MergedInventory } from './inventory-merge.js';

type Groups = MergedInventory['groups'];

/** Each group's ancestry, closest first. */
export function groupLineages(groups: Groups, issues: ConfigIssue[]): Map<string, string[]> {
  const lineage = new Map<string, string[]>();
  const groupLineage = (name: string, trail: string[]): string[] => {
    const known = lineage.get(name);
    if (known) return known;
    const entry = groups.get(name);
    if (!entry) return [];
    const result = [name];
    for (const [i, parent] of (entry.raw.groups ?? []).entries()) {
      const problem = parentProblem(groups, entry, name, i, parent, trail);
      if (problem) issues.push(problem);
      else for (const g of groupLineage(parent, [...trail, parent])) if (!result.includes(g)) result.push(g);
    }
    lineage.set(name, result);
    return result;
  };
  for (const name of groups.keys()) groupLineage(name, [name]);
  return lineage;
}

/** Why `parent`, listed at index `i` of group `name`, cannot be followed; undefined when it can. */
function parentProblem(
  groups: Groups,
  entry: Defined<unknown>,
  name: string,
  i: number,
  parent: string,
  trail: readonly string[],
): ConfigIssue | undefined {
  const at: PropertyKey[] = ['groups', name, 'groups', i];
  if (!groups.has(parent)) return entry.at.source.issue(at, unknownGroup(parent, groups), groupHint);
  if (trail.includes(parent))
    return entry.at.source.issue(
      at,
      `group cycle: ${[...trail, parent].join(' -> ')}`,
      'A group cannot contain itself.',
    );
  return undefined;
}

export const groupHint = 'Define the group under `groups:` in an inventory file, or fix the name.';

export function unknownGroup(name: string, groups: ReadonlyMap<string, unknown>): string {
  const known = [...groups.keys()].join(', ') || 'none defined';
  return `unknown group "${name}"; known groups: ${known}`;
}
