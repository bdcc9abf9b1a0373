/** Object identifiers as arrays of sub-identifiers, compared the way SNMP orders a MIB walk. */

export type Oid = readonly number[];

/** Parses `1.3.6.1...` (a leading dot is allowed); undefined when it is not a numeric OID. */
export function parseOid(text: string): Oid | undefined {
  const body = text.startsWith('.') ? text.slice(1) : text;
  if (!/^\d+(\.\d+)*$/.test(body)) return undefined;
  const parts = body.split('.').map(Number);
  return parts.every((n) => n <= 0xffffffff) ? parts : undefined;
}

export function formatOid(oid: Oid): string {
  return oid.join('.');
}

/** Lexicographic order of RFC 3416 GetNext: sub-identifier by sub-identifier, shorter first. */
export function compareOid(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function startsWith(oid: Oid, prefix: Oid): boolean {
  return prefix.length <= oid.length && prefix.every((n, i) => oid[i] === n);
}
