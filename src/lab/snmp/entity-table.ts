/** ENTITY-MIB entPhysicalTable `1.3.6.1.2.1.47.1.1.1.1` (RFC 4133), read-only. */
import type { EntityRow } from './device-view.js';
import { Asn, integer, octets, tableInstances, type MibSection, type TableColumn } from './mib.js';

const entPhysicalEntry = [1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1];

const text = (column: number, pick: (row: EntityRow) => string): TableColumn<EntityRow> => ({
  column,
  value: (row) => octets(pick(row)),
});

const columns: readonly TableColumn<EntityRow>[] = [
  text(2, (r) => r.descr),
  { column: 3, value: (r) => ({ type: Asn.ObjectIdentifier, value: r.vendorType }) },
  { column: 4, value: (r) => integer(r.containedIn) },
  { column: 5, value: (r) => integer(r.class) },
  { column: 6, value: (r) => integer(r.parentRelPos) },
  text(7, (r) => r.name),
  text(8, (r) => r.hardwareRev),
  text(9, (r) => r.firmwareRev),
  text(10, (r) => r.softwareRev),
  text(11, (r) => r.serialNum),
  text(12, (r) => r.mfgName),
  text(13, (r) => r.modelName),
  text(14, (r) => r.alias),
  text(15, (r) => r.assetId),
  { column: 16, value: (r) => integer(r.isFru ? 1 : 2) },
];

export function entityTable(read: () => readonly EntityRow[]): MibSection {
  return {
    objects: columns.map(({ column }) => [...entPhysicalEntry, column]),
    instances: () => tableInstances(entPhysicalEntry, columns, read()),
  };
}
