/** Dotted OID helpers for walks: order, containment and the index part after a column. */

function arcs(oid: string): number[] {
  return oid.replace(/^\./, '').split('.').map(Number);
}

/** Lexicographic order on arcs, as agents sort their MIB view. */
export function compareOids(a: string, b: string): number {
  const x = arcs(a);
  const y = arcs(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]! - y[i]!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** True when `oid` lies strictly below `base` (`1.3.6.1.2.1.1.1.0` is under `1.3.6.1.2.1.1`). */
export function isUnder(oid: string, base: string): boolean {
  const b = base.replace(/^\./, '');
  return oid.replace(/^\./, '').startsWith(`${b}.`);
}

/** The arcs after `base`, e.g. column and index of a table cell below the entry OID. */
export function suffixArcs(oid: string, base: string): number[] {
  return arcs(oid.replace(/^\./, '').slice(base.replace(/^\./, '').length + 1));
}
