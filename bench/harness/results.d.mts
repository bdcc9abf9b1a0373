/** The repository's root folder (results.mjs). */
export const root: string;

/** The package's version, Node's, and the commit (with `-dirty`) of the build measured; `dist` when NETOPS_DIST named another build. */
export function versions(): { netops: string; commit: string; dist?: string; node: string };
