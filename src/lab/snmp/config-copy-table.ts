/**
 * The writable ccCopyTable of one device: RFC 2579 row creation from a whole SET PDU (columns in any
 * order, RowStatus anywhere in it), and the copies it starts, one at a time, in activation order.
 */
import { isNetopsError } from '../../core/errors.js';
import { copyFailure, type SnmpDeviceView } from './device-view.js';
import {
  ccCopyEntry,
  copyColumns,
  copyFailCauses,
  copyRequestFor,
  copyRowProblem,
  CopyState,
  newCopyRow,
  readOnlyColumns,
  rowStatusColumn,
  writableColumns,
  type CopyRow,
  type WritableColumn,
} from './config-copy-row.js';
import { Asn, tableInstances, type MibSection, type RequestVarbind, type SetError } from './mib.js';
import { startsWith } from './oid.js';
import { RowStatus, rowStatusTransition } from './row-status.js';

/** Finished rows are aged out, but not sooner than 5 minutes after completion (the MIB). */
const agingMs = 5 * 60_000;
/** Bounds what a manager creating rows in a loop can make the agent hold. */
const maxRows = 100;
const maxIndex = 2147483647;

/** What one SET PDU does to one row: its RowStatus varbind, if any, and its other columns. */
interface RowChange {
  /** The row's first varbind in the PDU: where an error about the row as a whole is reported. */
  readonly first: RequestVarbind;
  status?: RequestVarbind;
  readonly columns: Array<{ readonly varbind: RequestVarbind; readonly writable: WritableColumn }>;
}

type ParsedVarbind =
  | { readonly index: number; readonly writable: WritableColumn | 'rowStatus' }
  | { readonly error: SetError['status'] };

export class CopyTable {
  readonly #device: SnmpDeviceView;
  readonly #rows = new Map<number, CopyRow>();
  readonly #queue: number[] = [];
  readonly #agingTimers = new Set<NodeJS.Timeout>();
  #busy = false;
  #closed = false;

  constructor(device: SnmpDeviceView) {
    this.#device = device;
  }

  section(): MibSection {
    return {
      objects: copyColumns.map(({ column }) => [...ccCopyEntry, column]),
      instances: () => tableInstances(ccCopyEntry, copyColumns, [...this.#rows.values()]),
    };
  }

  /** True when the OID names something inside ccCopyEntry, which `set` then handles. */
  owns(varbind: RequestVarbind): boolean {
    return startsWith(varbind.oid, ccCopyEntry);
  }

  /** Applies the table's part of a SET PDU all or nothing; returns the first error, if any. */
  set(varbinds: readonly RequestVarbind[]): SetError | undefined {
    const changes = new Map<number, RowChange>();
    for (const varbind of varbinds) {
      const parsed = parseVarbind(varbind);
      if ('error' in parsed) return { status: parsed.error, position: varbind.position };
      let change = changes.get(parsed.index);
      if (!change) changes.set(parsed.index, (change = { first: varbind, columns: [] }));
      if (parsed.writable === 'rowStatus') change.status = varbind;
      else change.columns.push({ varbind, writable: parsed.writable });
    }
    const results = new Map<number, CopyRow | undefined>();
    for (const [index, change] of changes) {
      const result = this.#planRow(index, change);
      if ('status' in result) return result;
      results.set(index, result.row);
    }
    for (const [index, row] of results) this.#commit(index, row);
    this.#pump();
    return undefined;
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#agingTimers) clearTimeout(timer);
    this.#agingTimers.clear();
  }

  #planRow(index: number, change: RowChange): { row: CopyRow | undefined } | SetError {
    const current = this.#rows.get(index);
    const state = current?.status ?? 'absent';
    const requested = change.status?.value as number | undefined;
    const creating = requested === RowStatus.createAndGo || requested === RowStatus.createAndWait;
    const firstColumn = change.columns[0]?.varbind;
    if (firstColumn && state === 'absent' && !creating) {
      // The row does not exist and this PDU does not create it (RFC 3416: inconsistentName).
      return { status: 'inconsistentName', position: firstColumn.position };
    }
    if (firstColumn && state === 'active' && requested !== RowStatus.destroy) {
      return { status: 'inconsistentValue', position: firstColumn.position };
    }
    const at = (change.status ?? change.first).position;
    if (state === 'absent' && creating && this.#rows.size >= maxRows) {
      return { status: 'resourceUnavailable', position: at };
    }
    let draft = current ?? newCopyRow(index);
    for (const { varbind, writable } of change.columns) draft = writable.apply(draft, varbind.value);
    const outcome = rowStatusTransition(state, requested, copyRowProblem(draft) === undefined);
    if ('error' in outcome) return { status: outcome.error, position: at };
    if (outcome.next === 'absent') return { row: undefined };
    return { row: { ...draft, status: outcome.next } };
  }

  #commit(index: number, row: CopyRow | undefined): void {
    const before = this.#rows.get(index);
    if (!row) {
      this.#rows.delete(index);
      const queued = this.#queue.indexOf(index);
      if (queued >= 0) this.#queue.splice(queued, 1);
      return;
    }
    this.#rows.set(index, row);
    if (row.status === 'active' && before?.status !== 'active') this.#queue.push(index);
  }

  #pump(): void {
    if (this.#busy || this.#closed) return;
    const index = this.#queue.shift();
    if (index === undefined) return;
    const waiting = this.#rows.get(index);
    if (!waiting) return this.#pump();
    const running: CopyRow = { ...waiting, copyState: CopyState.running, timeStarted: this.#uptime() };
    this.#rows.set(index, running);
    this.#busy = true;
    const request = copyRequestFor(running);
    // A device that throws instead of rejecting must not leave the table busy for ever.
    const copy = new Promise<void>((resolve) => {
      if (typeof request === 'string')
        throw copyFailure(request, `the agent cannot start this copy (${request})`);
      resolve(this.#device.copyConfig(request));
    });
    copy.then(
      () => this.#finish(index, running, 0),
      (error: unknown) => this.#finish(index, running, failCauseOf(error)),
    );
  }

  #finish(index: number, running: CopyRow, failCause: number): void {
    this.#busy = false;
    // The row may have been destroyed (and even re-created) while the copy ran.
    if (this.#rows.get(index) === running && !this.#closed) {
      const done: CopyRow = {
        ...running,
        copyState: failCause === 0 ? CopyState.successful : CopyState.failed,
        timeCompleted: this.#uptime(),
        failCause,
      };
      this.#rows.set(index, done);
      const timer = setTimeout(() => {
        this.#agingTimers.delete(timer);
        if (this.#rows.get(index) === done) this.#rows.delete(index);
      }, agingMs).unref();
      this.#agingTimers.add(timer);
    }
    this.#pump();
  }

  #uptime(): number {
    return this.#device.system().upTimeTicks;
  }
}

/** Checks one varbind's name, access, type, length and range, before rows are considered. */
function parseVarbind(vb: RequestVarbind): ParsedVarbind {
  const [column, index, ...extra] = vb.oid.slice(ccCopyEntry.length);
  if (column === undefined || index === undefined || extra.length > 0 || index < 1 || index > maxIndex) {
    return { error: 'noCreation' };
  }
  if (readOnlyColumns.has(column)) return { error: 'notWritable' };
  if (column === rowStatusColumn)
    return vb.type === Asn.Integer ? { index, writable: 'rowStatus' } : { error: 'wrongType' };
  const writable = writableColumns.get(column);
  if (!writable) return { error: 'noCreation' };
  if (vb.type !== writable.asn) return { error: 'wrongType' };
  const problem = writable.check(vb.value);
  return problem ? { error: problem } : { index, writable };
}

/** The ccCopyFailCause number a device's rejection names; anything else is unknown(1). */
function failCauseOf(error: unknown): number {
  const named = isNetopsError(error)
    ? error.details?.['failCause']
    : (error as { failCause?: unknown })?.failCause;
  const n = copyFailCauses.indexOf(named as never);
  return n >= 0 ? n + 1 : 1;
}
