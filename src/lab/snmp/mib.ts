/**
 * The agent's view of a device at one instant: every instance in OID order, plus the objects
 * (scalars and columns) that exist, so that a GET tells noSuchObject from noSuchInstance.
 * It is built fresh for each request from the device, so values that change (a serial swapped for an
 * RMA test, sysUpTime) are always current.
 */
import { compareOid, startsWith, type Oid } from './oid.js';

/** BER tags of the SMI types the agent serves (RFC 2578, RFC 3416). */
export const Asn = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  ObjectIdentifier: 6,
  IpAddress: 64,
  Gauge: 66,
  TimeTicks: 67,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;
export type AsnType = (typeof Asn)[keyof typeof Asn];

/** A value as it goes on the wire: strings for OIDs (dotted) and IpAddress, Buffer for octets. */
export interface MibValue {
  readonly type: AsnType;
  readonly value: number | string | Buffer | null;
}

export interface MibInstance extends MibValue {
  readonly oid: Oid;
}

/** One part of the MIB (a scalar group or a table): its objects and, at request time, its instances. */
export interface MibSection {
  readonly objects: readonly Oid[];
  instances(): MibInstance[];
}

export interface MibSnapshot {
  readonly objects: readonly Oid[];
  /** Sorted by OID. */
  readonly instances: readonly MibInstance[];
}

/** Sections must be given in OID order and each must list its instances in OID order. */
export function snapshot(sections: readonly MibSection[]): MibSnapshot {
  return {
    objects: sections.flatMap((s) => s.objects),
    instances: sections.flatMap((s) => s.instances()),
  };
}

export const integer = (value: number): MibValue => ({ type: Asn.Integer, value });
export const octets = (value: string | Buffer): MibValue => ({ type: Asn.OctetString, value });

/** The instance at exactly `oid`, or the exception value RFC 3416 prescribes for a GET. */
export function getExact(mib: MibSnapshot, oid: Oid): MibValue {
  const i = firstNotBefore(mib.instances, oid);
  const found = mib.instances[i];
  if (found && compareOid(found.oid, oid) === 0) return found;
  const known = mib.objects.some((object) => startsWith(oid, object));
  return { type: known ? Asn.NoSuchInstance : Asn.NoSuchObject, value: null };
}

/** The first instance after `oid` (GetNext), or undefined at the end of the MIB view. */
export function getNext(mib: MibSnapshot, oid: Oid): MibInstance | undefined {
  const i = firstNotBefore(mib.instances, oid);
  const found = mib.instances[i];
  if (found && compareOid(found.oid, oid) === 0) return mib.instances[i + 1];
  return found;
}

function firstNotBefore(instances: readonly MibInstance[], oid: Oid): number {
  let lo = 0;
  let hi = instances.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const probe = instances[mid];
    if (probe && compareOid(probe.oid, oid) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface TableColumn<Row> {
  readonly column: number;
  /** undefined: this row has no instance in this column (e.g. ccCopyFailCause before a failure). */
  value(row: Row): MibValue | undefined;
}

/** Instances of a table with a single integer index, column by column (the order a walk sees). */
export function tableInstances<Row extends { readonly index: number }>(
  entry: Oid,
  columns: readonly TableColumn<Row>[],
  rows: readonly Row[],
): MibInstance[] {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const out: MibInstance[] = [];
  for (const { column, value } of columns) {
    for (const row of sorted) {
      const v = value(row);
      if (v) out.push({ oid: [...entry, column, row.index], ...v });
    }
  }
  return out;
}

/** RFC 3416 error-status values the agent answers with. */
export const ErrorStatus = {
  noError: 0,
  tooBig: 1,
  noSuchName: 2,
  genErr: 5,
  noAccess: 6,
  wrongType: 7,
  wrongLength: 8,
  wrongValue: 10,
  noCreation: 11,
  inconsistentValue: 12,
  resourceUnavailable: 13,
  notWritable: 17,
  inconsistentName: 18,
} as const;
export type ErrorStatusName = keyof typeof ErrorStatus;

/** A varbind of a request, with its 1-based position in the PDU (the error-index on failure). */
export interface RequestVarbind {
  readonly oid: Oid;
  readonly type: number;
  readonly value: unknown;
  readonly position: number;
}

export interface SetError {
  readonly status: ErrorStatusName;
  readonly position: number;
}
