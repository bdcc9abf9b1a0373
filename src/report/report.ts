/**
 * `netops report inventory` as a function: load the facts of a store, keep the hosts and classes
 * asked for, add the changes since a date from the store's git history, and render one format.
 */
import { NetopsError } from '../core/errors.js';
import { selectHosts } from '../config/limit.js';
import type { Host } from '../config/model.js';
import type { DeviceFacts, EntityClass } from '../facts/device-facts.js';
import { factChangesSince } from './history.js';
import { buildInventory, type GroupBy, type InventoryReport } from './inventory.js';
import { loadFacts } from './load.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-md.js';
import type { ReportFormat } from './formats.js';

export { reportFormats, type ReportFormat } from './formats.js';

const renderers: Readonly<Record<ReportFormat, (r: InventoryReport) => string>> = {
  html: renderHtml,
  csv: renderCsv,
  md: renderMarkdown,
  json: renderJson,
};

export interface InventoryReportOptions {
  readonly store: string;
  readonly format: ReportFormat;
  /** `--limit` patterns: names, globs, `group:NAME`, `platform:NAME`, `!EXCLUDED`. */
  readonly limit?: string;
  /** @default 'site' */
  readonly groupBy?: GroupBy;
  readonly classes?: readonly EntityClass[];
  readonly changesSince?: Date;
  readonly now?: Date;
}

export async function inventoryReport(options: InventoryReportOptions): Promise<string> {
  const { devices, problems } = await loadFacts(options.store);
  const selected = limitDevices(devices, options.limit);
  const changes = options.changesSince ? await factChangesSince(options.store, options.changesSince) : [];
  const report = buildInventory(selected, {
    problems,
    changes,
    ...(options.groupBy ? { groupBy: options.groupBy } : {}),
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.changesSince ? { since: options.changesSince } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return renderers[options.format](report);
}

/** The stored inventory labels stand in for the inventory, so `--limit` means what it means for `run`. */
function limitDevices(devices: readonly DeviceFacts[], limit: string | undefined): DeviceFacts[] {
  if (limit === undefined) return [...devices];
  const byName = new Map(devices.map((d) => [d.host, d]));
  const hosts = devices.map((d): Host => ({
    name: d.host,
    address: '',
    port: undefined,
    family: undefined,
    platform: d.inventory.platform,
    transport: 'ssh',
    console: undefined,
    snmp: undefined,
    credentials: undefined,
    ssh: { legacyAlgorithms: false, trustNewHostKey: false },
    groups: d.inventory.groups,
    data: d.inventory.site === undefined ? {} : { site: d.inventory.site },
  }));
  return selectHosts(hosts, limit).hosts.map((h) => byName.get(h.name) as DeviceFacts);
}

/** `2026-11-01`, `2026-11-01T06:00:00Z`, or a span back from now: `36h`, `7d`, `2w`. */
export function parseSince(text: string, now = new Date()): Date {
  const span = /^(\d+)([hdw])$/.exec(text.trim());
  if (span) {
    const hours = { h: 1, d: 24, w: 168 }[span[2] as 'h' | 'd' | 'w'] * Number(span[1]);
    return new Date(now.getTime() - hours * 3_600_000);
  }
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new NetopsError('CONFIG_INVALID', `--changes-since ${text} is not a date`, {
      hint: 'Give a date such as 2026-11-01 (or 2026-11-01T06:00:00Z), or a span back from now such as 36h, 7d or 2w.',
    });
  }
  return date;
}
