/**
 * ENTITY-MIB entPhysicalTable (RFC 6933), its columns walked together with GETBULK: each request
 * brings the next rows of every column, so a 60-row table takes 3 requests at max-repetitions 25
 * instead of the 40 a walk of the whole entry, one column after another, takes (the agent's CPU is
 * what bounds a collect of many devices). Rows keep entPhysicalContainedIn, from which reports build
 * the containment tree (chassis > slot > module > port).
 */
import { entityClasses, type PhysicalEntity } from '../facts/device-facts.js';
import type { Varbind } from './net-snmp.js';
import type { SnmpSession, WalkOptions } from './session.js';
import { suffixArcs } from './oid.js';
import { dateAndTime, integer, isMissing, text } from './values.js';

export const entPhysicalEntry = '1.3.6.1.2.1.47.1.1.1.1';

/** Column numbers of entPhysicalEntry. */
export const entPhysicalColumn = {
  descr: 2,
  vendorType: 3,
  containedIn: 4,
  class: 5,
  parentRelPos: 6,
  name: 7,
  hardwareRev: 8,
  firmwareRev: 9,
  softwareRev: 10,
  serial: 11,
  mfgName: 12,
  model: 13,
  alias: 14,
  assetId: 15,
  isFru: 16,
  mfgDate: 17,
  uris: 18,
} as const;

const truthValueTrue = 1;

/** Every row of entPhysicalTable, in index order. */
export async function readEntities(
  session: SnmpSession,
  options: WalkOptions = {},
): Promise<PhysicalEntity[]> {
  const rows = new Map<number, Map<number, Varbind>>();
  const columns = Object.values(entPhysicalColumn).map((column) => `${entPhysicalEntry}.${column}`);
  for (const vb of await session.walkTogether(columns, options)) {
    const [column, index] = suffixArcs(vb.oid, entPhysicalEntry);
    if (column === undefined || index === undefined) continue;
    const row = rows.get(index) ?? new Map<number, Varbind>();
    row.set(column, vb);
    rows.set(index, row);
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([index, row]) => toEntity(index, row));
}

function toEntity(index: number, row: ReadonlyMap<number, Varbind>): PhysicalEntity {
  const c = entPhysicalColumn;
  const cell = (column: number) => row.get(column);
  const classNumber = integer(cell(c.class), 2);
  const mfgDate = dateAndTime(cell(c.mfgDate));
  const uris = text(cell(c.uris));
  return {
    index,
    class: entityClasses[classNumber - 1] ?? 'unknown',
    name: text(cell(c.name)),
    descr: text(cell(c.descr)),
    vendorType: isMissing(cell(c.vendorType)) ? '' : String(cell(c.vendorType)?.value),
    containedIn: integer(cell(c.containedIn), 0),
    parentRelPos: integer(cell(c.parentRelPos), -1),
    hardwareRev: text(cell(c.hardwareRev)),
    firmwareRev: text(cell(c.firmwareRev)),
    softwareRev: text(cell(c.softwareRev)),
    serial: text(cell(c.serial)),
    mfgName: text(cell(c.mfgName)),
    model: text(cell(c.model)),
    alias: text(cell(c.alias)),
    assetId: text(cell(c.assetId)),
    isFru: integer(cell(c.isFru), 2) === truthValueTrue,
    ...(mfgDate === undefined ? {} : { mfgDate }),
    ...(uris === '' ? {} : { uris }),
  };
}
