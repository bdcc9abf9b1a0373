/** Dotted OID helpers for walks: order, containment and the index part after a column. */

function arcs(oid: string): number[] {
  return oid.replace(/^\./, '').split('.').map(Number);
}

const dot = 46;
const zero = 48;

/**
 * Lexicographic order on arcs, as agents sort their MIB view. Read in place, digit by digit: a walk
 * compares every varbind it receives, and splitting both OIDs into arrays each time was the
 * largest cost of a collect after garbage collection.
 */
export function compareOids(a: string, b: string): number {
  let i = a.charCodeAt(0) === dot ? 1 : 0;
  let j = b.charCodeAt(0) === dot ? 1 : 0;
  while (i < a.length && j < b.length) {
    let x = 0;
    for (; i < a.length && a.charCodeAt(i) !== dot; i++) x = x * 10 + a.charCodeAt(i) - zero;
    let y = 0;
    for (; j < b.length && b.charCodeAt(j) !== dot; j++) y = y * 10 + b.charCodeAt(j) - zero;
    if (x !== y) return x - y;
    i++;
    j++;
  }
  // Equal so far: the one with arcs left is the later.
  return Number(i < a.length) - Number(j < b.length);
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
