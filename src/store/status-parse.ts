/**
 * `git status --porcelain=v2 --branch -z` read for the store's open: the commit HEAD names (the
 * parent of the run's commit, asked of no other git process) and the paths listed as differing
 * from HEAD or untracked. Entries (git-status(1), "Porcelain Format Version 2"):
 * `# branch.oid <commit> | (initial)`, `1 XY sub mH mI mW hH hI PATH` (changed), `u XY sub m1 m2
 * m3 mW h1 h2 h3 PATH` (unmerged), `? PATH` (untracked); renames (`2 ...`) are off (`--no-renames`).
 */

export interface StoreStatus {
  /** HEAD's commit, or undefined before the first commit. */
  readonly head: string | undefined;
  readonly paths: string[];
}

/** Fields before the path, by entry type. */
const FIELDS_BEFORE_PATH: Readonly<Record<string, number>> = { '1': 8, u: 10, '?': 1 };

export function parseStatus(output: string): StoreStatus {
  let head: string | undefined;
  const paths: string[] = [];
  for (const entry of output.split('\0')) {
    if (entry.startsWith('# branch.oid ')) {
      const oid = entry.slice('# branch.oid '.length);
      head = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(oid) ? oid : undefined;
      continue;
    }
    const fields = FIELDS_BEFORE_PATH[entry.slice(0, entry.indexOf(' '))];
    if (fields === undefined) continue;
    // The path is all after the fields: a path may hold spaces.
    let at = 0;
    for (let field = 0; field < fields; field++) at = entry.indexOf(' ', at) + 1;
    paths.push(entry.slice(at));
  }
  return { head, paths };
}
