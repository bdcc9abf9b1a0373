/** `netops inventory check|list`: validate inventories and show what the runner will see. */
import type { Command } from 'commander';
import type { Inventory } from '../../config/inventory.js';
import type { Host } from '../../config/model.js';
import { maskSecrets } from '../mask.js';
import { defaultInventoryFiles, loadHosts } from '../load.js';
import { collect } from '../options.js';

interface Flags {
  inventory?: string[];
  limit?: string[];
  json?: boolean;
  showOrigin?: boolean;
}

export function register(program: Command): void {
  const inventory = program.command('inventory').description('check and list inventory files');
  const warn = (text: string) => process.stderr.write(`${text}\n`);

  inventory
    .command('check')
    .description('validate inventory files and check that every referenced secret is readable')
    .option('-i, --inventory <file>', 'inventory file (repeatable; default: inventory/*.yaml)', collect)
    .action(async (flags: Flags) => {
      const files = flags.inventory ?? (await defaultInventoryFiles());
      const { hosts } = await loadHosts(files, [], warn);
      process.stdout.write(`${files.join(', ')}: ok, ${hosts.length} hosts\n`);
    });

  inventory
    .command('list')
    .description(
      'list hosts as the runner sees them, after inheritance (secrets as references; none needs to be set)',
    )
    .option('-i, --inventory <file>', 'inventory file (repeatable; default: inventory/*.yaml)', collect)
    .option('-l, --limit <pattern>', 'NAME, glob, group:NAME, platform:NAME, !EXCLUDE (repeatable)', collect)
    .option('--json', 'print hosts as JSON')
    .option('--show-origin', 'show where each value came from (host, group or defaults, with file:line)')
    .addHelpText('after', `\nExample:\n  netops inventory list --limit 'group:core,!r9' --show-origin`)
    .action(async (flags: Flags) => {
      const files = flags.inventory ?? (await defaultInventoryFiles());
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
    });
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
