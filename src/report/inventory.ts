/**
 * The inventory report as data: one row per physical entity with its device's labels, counts per
 * model and per group, the devices for tree views, and the changes since a date. Renderers turn
 * it into html, csv, markdown or json.
 */
import { selectClasses } from '../facts/containment.js';
import type { DeviceFacts, EntityClass, PhysicalEntity } from '../facts/device-facts.js';
import type { FactChange } from './history.js';

export type GroupBy = 'site' | 'platform' | 'model';

export interface InventoryRow extends PhysicalEntity {
  readonly host: string;
  readonly site: string;
  readonly platform: string;
  readonly os: string;
  readonly osVersion: string;
  /** The value of the group-by key for this row. */
  readonly group: string;
}

export interface Count {
  readonly key: string;
  readonly devices: number;
  readonly entities: number;
}

export interface InventoryReport {
  readonly generatedAt: string;
  readonly groupBy: GroupBy;
  readonly classes: readonly EntityClass[] | undefined;
  readonly devices: readonly DeviceFacts[];
  readonly rows: readonly InventoryRow[];
  readonly byModel: readonly Count[];
  readonly byGroup: readonly Count[];
  readonly since: string | undefined;
  readonly changes: readonly FactChange[];
  readonly problems: readonly { readonly file: string; readonly reason: string }[];
}

export interface InventoryOptions {
  /** @default 'site' */
  readonly groupBy?: GroupBy;
  readonly classes?: readonly EntityClass[];
  readonly since?: Date;
  readonly changes?: readonly FactChange[];
  readonly problems?: readonly { readonly file: string; readonly reason: string }[];
  readonly now?: Date;
}

export const noValue = '(none)';

export function buildInventory(
  devices: readonly DeviceFacts[],
  options: InventoryOptions = {},
): InventoryReport {
  const groupBy = options.groupBy ?? 'site';
  const kept = [...devices]
    .sort((a, b) => a.host.localeCompare(b.host))
    .map((d) => ({ ...d, entities: selectClasses(d.entities, options.classes) }));
  const rows = kept.flatMap((d) =>
    d.entities.map((e) => {
      const site = d.inventory.site ?? noValue;
      const platform = d.inventory.platform ?? d.os.name;
      const group = groupBy === 'site' ? site : groupBy === 'platform' ? platform : e.model || noValue;
      return { host: d.host, site, platform, os: d.os.name, osVersion: d.os.version ?? '', group, ...e };
    }),
  );
  const hosts = new Set(kept.map((d) => d.host));
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    groupBy,
    classes: options.classes,
    devices: kept,
    rows,
    byModel: count(
      rows.filter((r) => r.model !== ''),
      (r) => r.model,
    ),
    byGroup: count(rows, (r) => r.group),
    since: options.since?.toISOString(),
    changes: (options.changes ?? []).filter((c) => hosts.has(c.host)),
    problems: options.problems ?? [],
  };
}

function count(rows: readonly InventoryRow[], key: (r: InventoryRow) => string): Count[] {
  const groups = new Map<string, { hosts: Set<string>; entities: number }>();
  for (const r of rows) {
    const g = groups.get(key(r)) ?? { hosts: new Set<string>(), entities: 0 };
    g.hosts.add(r.host);
    g.entities++;
    groups.set(key(r), g);
  }
  return [...groups.entries()]
    .map(([k, g]) => ({ key: k, devices: g.hosts.size, entities: g.entities }))
    .sort((a, b) => b.entities - a.entities || a.key.localeCompare(b.key));
}
