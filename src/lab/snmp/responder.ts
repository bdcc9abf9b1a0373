/**
 * Answers one decoded request PDU from a fresh MIB snapshot (RFC 3416 §4.2): GET, GETNEXT, GETBULK
 * and SET. Encoding, communities and SNMPv3 security stay in the wire layer.
 */
import type { CopyTable } from './config-copy-table.js';
import {
  Asn,
  ErrorStatus,
  getExact,
  getNext,
  type MibSnapshot,
  type MibValue,
  type RequestVarbind,
  type SetError,
} from './mib.js';
import { formatOid, parseOid, type Oid } from './oid.js';

export type RequestKind = 'get' | 'getNext' | 'getBulk' | 'set';

export interface WireVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: unknown;
}

export interface AgentRequest {
  readonly kind: RequestKind;
  readonly varbinds: readonly WireVarbind[];
  readonly nonRepeaters: number;
  readonly maxRepetitions: number;
  /** SNMPv1 (0) reports missing objects as the noSuchName error instead of exception values. */
  readonly version: number;
  /** The community or v3 user may write. */
  readonly canWrite: boolean;
}

export interface AgentResponse {
  readonly errorStatus: number;
  readonly errorIndex: number;
  readonly varbinds: WireVarbind[];
}

/**
 * A GETBULK answer is cut before it outgrows one UDP datagram (RFC 3416 §4.2.3 lets the agent send
 * fewer repetitions); the estimate counts the OID and value text plus the BER overhead.
 */
const bulkBudgetBytes = 32_000;
const endOfMib: MibValue = { type: Asn.EndOfMibView, value: null };

export function respond(mib: () => MibSnapshot, table: CopyTable, request: AgentRequest): AgentResponse {
  if (request.kind === 'set') return respondToSet(mib, table, request);
  const view = mib();
  const oids = request.varbinds.map((vb) => parseOid(vb.oid) ?? []);
  const at = (oid: Oid, { type, value }: MibValue): WireVarbind => ({ oid: formatOid(oid), type, value });
  const next = (oid: Oid): WireVarbind => {
    const found = getNext(view, oid);
    return found ? at(found.oid, found) : at(oid, endOfMib);
  };
  let varbinds: WireVarbind[];
  if (request.kind === 'get') varbinds = oids.map((oid) => at(oid, getExact(view, oid)));
  else if (request.kind === 'getNext') varbinds = oids.map(next);
  else varbinds = bulk(oids, request, next);
  if (request.version === 0) {
    const missing = varbinds.findIndex((vb) => vb.type >= Asn.NoSuchObject);
    if (missing >= 0)
      return { errorStatus: ErrorStatus.noSuchName, errorIndex: missing + 1, varbinds: echo(request) };
  }
  return { errorStatus: ErrorStatus.noError, errorIndex: 0, varbinds };
}

function bulk(oids: readonly Oid[], request: AgentRequest, next: (oid: Oid) => WireVarbind): WireVarbind[] {
  const nonRepeaters = Math.min(Math.max(request.nonRepeaters, 0), oids.length);
  const out = oids.slice(0, nonRepeaters).map(next);
  let cursors = oids.slice(nonRepeaters);
  let bytes = out.reduce((n, vb) => n + estimate(vb), 0);
  for (let r = 0; r < request.maxRepetitions && cursors.length > 0; r++) {
    const row = cursors.map(next);
    bytes += row.reduce((n, vb) => n + estimate(vb), 0);
    if (bytes > bulkBudgetBytes && out.length > 0) break;
    out.push(...row);
    if (row.every((vb) => vb.type === Asn.EndOfMibView)) break;
    cursors = row.map((vb) => parseOid(vb.oid) ?? []);
  }
  return out;
}

function estimate(vb: WireVarbind): number {
  const value = vb.value;
  const size = Buffer.isBuffer(value) ? value.length : typeof value === 'string' ? value.length : 5;
  return vb.oid.length + size + 8;
}

function respondToSet(mib: () => MibSnapshot, table: CopyTable, request: AgentRequest): AgentResponse {
  const fail = (error: SetError): AgentResponse => ({
    errorStatus: ErrorStatus[error.status],
    errorIndex: error.position,
    varbinds: echo(request),
  });
  if (!request.canWrite) return fail({ status: 'noAccess', position: 1 });
  const varbinds: RequestVarbind[] = request.varbinds.map((vb, i) => ({
    oid: parseOid(vb.oid) ?? [],
    type: vb.type,
    value: vb.value,
    position: i + 1,
  }));
  // Everything outside ccCopyTable is read-only here: existing objects are notWritable, others can't be created.
  const view = mib();
  for (const vb of varbinds) {
    if (table.owns(vb)) continue;
    const exists = getExact(view, vb.oid).type < Asn.NoSuchObject;
    return fail({ status: exists ? 'notWritable' : 'noCreation', position: vb.position });
  }
  const error = table.set(varbinds);
  return error ? fail(error) : { errorStatus: ErrorStatus.noError, errorIndex: 0, varbinds: echo(request) };
}

function echo(request: AgentRequest): WireVarbind[] {
  return request.varbinds.map(({ oid, type, value }) => ({ oid, type, value }));
}
