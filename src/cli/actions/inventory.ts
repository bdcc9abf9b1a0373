/** What `netops inventory check|list` do: validate inventories and show what the runner will see. */
import type { Inventory } from '../../config/inventory.js';
import type { Host } from '../../config/model.js';
import { maskSecrets } from '../mask.js';
import { importLabel, type InventorySource } from '../../config/import/source.js';
import { displayPath } from '../../config/yaml-source.js';
import { NetopsError } from '../../core/errors.js';
import { defaultInventoryFiles, loadHosts, loadJobFile } from '../load.js';

export interface InventoryFlags {
  inventory?: string[];
  job?: string;
  limit?: string[];
  json?: boolean;
  showOrigin?: boolean;
}

const warn = (text: string) => process.stderr.write(`${text}\n`);

export async function checkInventory(flags: InventoryFlags): Promise<void> {
  const files = await inventoryOf(flags);
  const { hosts } = await loadHosts(files, [], warn);
  const names = files.map((f) => (typeof f === 'string' ? displayPath(f) : importLabel(f)));
  process.stdout.write(`${names.join(', ')}: ok, ${hosts.length} hosts\n`);
}

/** The files named with --inventory, the inventory of the job named with --job, or inventory/*.yaml. */
async function inventoryOf(flags: InventoryFlags): Promise<readonly InventorySource[]> {
  if (flags.job !== undefined && flags.inventory !== undefined)
    throw new NetopsError('CONFIG_INVALID', '--job and --inventory name two inventories', {
      hint: 'Give one of them: --job JOB for the inventory a job uses, or --inventory FILE.',
    });
  if (flags.job !== undefined) return (await loadJobFile(flags.job)).inventoryFiles;
  return flags.inventory ?? (await defaultInventoryFiles());
}

export async function listInventory(flags: InventoryFlags): Promise<void> {
  const files = await inventoryOf(flags);
  const loaded = await loadHosts(files, flags.limit ?? [], warn, { checkSecrets: false });
  if (flags.json) {
    const hosts = loaded.hosts.map((h) => ({
      ...(maskSecrets(h) as object),
      ...(flags.showOrigin ? { origin: loaded.inventory.origins(h.name) } : {}),
    }));
    process.stdout.write(`${JSON.stringify(hosts, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatTable(loaded.hosts)}\n`);
    if (flags.showOrigin) process.stdout.write(`\n${formatOrigins(loaded.hosts, loaded.inventory)}\n`);
  }
}

function formatTable(hosts: readonly Host[]): string {
  const rows = [
    ['HOST', 'ADDRESS', 'PORT', 'PLATFORM', 'TRANSPORT', 'GROUPS'],
    ...hosts.map((h) => [
      h.name,
      h.address,
      String(h.port ?? '-'),
      h.platform ?? '-',
      h.transport,
      h.groups.join(',') || '-',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function formatOrigins(hosts: readonly Host[], inventory: Inventory): string {
  return hosts
    .map((host) => {
      const origins = inventory.origins(host.name);
      const lines = Object.entries(origins)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([field, o]) => {
          const value = JSON.stringify(maskSecrets(valueOf(host, field), field.split('.').pop()));
          const where = o.file ? ` ${o.file}:${o.line}` : '';
          return `  ${field} = ${value}   (${o.source}${where})`;
        });
      return [`${host.name}:`, ...lines].join('\n');
    })
    .join('\n');
}

function valueOf(host: Host, field: string): unknown {
  if (field.startsWith('data.')) {
    return field
      .slice(5)
      .split('.')
      .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], host.data);
  }
  if (field === 'credentials') return host.credentials?.name;
  return (host as unknown as Record<string, unknown>)[field];
}
