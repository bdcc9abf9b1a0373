/** The columns of the entity table, shared by the csv, markdown and html renderers. */
import type { GroupBy, InventoryRow } from './inventory.js';

export interface Column {
  readonly key: keyof InventoryRow;
  readonly title: string;
}

/** Every field of a row: the csv carries all of them so it reads back into the facts. */
export const allColumns: readonly Column[] = [
  { key: 'host', title: 'host' },
  { key: 'site', title: 'site' },
  { key: 'platform', title: 'platform' },
  { key: 'os', title: 'os' },
  { key: 'osVersion', title: 'osVersion' },
  { key: 'index', title: 'index' },
  { key: 'class', title: 'class' },
  { key: 'name', title: 'name' },
  { key: 'descr', title: 'descr' },
  { key: 'model', title: 'model' },
  { key: 'serial', title: 'serial' },
  { key: 'hardwareRev', title: 'hardwareRev' },
  { key: 'firmwareRev', title: 'firmwareRev' },
  { key: 'softwareRev', title: 'softwareRev' },
  { key: 'mfgName', title: 'mfgName' },
  { key: 'vendorType', title: 'vendorType' },
  { key: 'containedIn', title: 'containedIn' },
  { key: 'parentRelPos', title: 'parentRelPos' },
  { key: 'alias', title: 'alias' },
  { key: 'assetId', title: 'assetId' },
  { key: 'isFru', title: 'isFru' },
  { key: 'mfgDate', title: 'mfgDate' },
  { key: 'uris', title: 'uris' },
];

const groupTitles: Readonly<Record<GroupBy, string>> = { site: 'Site', platform: 'Platform', model: 'Model' };

/** What a person reads in the html and markdown tables; the second column is what rows are grouped by. */
export function readableColumns(groupBy: GroupBy): readonly Column[] {
  const group: Column[] = groupBy === 'model' ? [] : [{ key: 'group', title: groupTitles[groupBy] }];
  return [{ key: 'host', title: 'Device' }, ...group, ...detailColumns];
}

const detailColumns: readonly Column[] = [
  { key: 'class', title: 'Class' },
  { key: 'name', title: 'Name' },
  { key: 'model', title: 'Model (PID)' },
  { key: 'serial', title: 'Serial' },
  { key: 'hardwareRev', title: 'HW rev' },
  { key: 'descr', title: 'Description' },
  { key: 'osVersion', title: 'OS version' },
];

export function cell(row: InventoryRow, key: keyof InventoryRow): string {
  const value = row[key];
  return value === undefined ? '' : String(value);
}
