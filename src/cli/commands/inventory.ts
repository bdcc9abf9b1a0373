/**
 * `netops inventory check|list|import`: their flags and help; what they do is in actions/inventory.ts
 * and actions/inventory-import.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import type { InventoryFlags } from '../actions/inventory.js';
import type { ImportFlags } from '../actions/inventory-import.js';
import { collect } from '../options.js';

export function register(program: Command): void {
  const inventory = program.command('inventory').description('check, list and import inventory files');

  inventory
    .command('check')
    .description('validate inventory files and check that every referenced secret is readable')
    .option('-i, --inventory <file>', 'inventory file (repeatable; default: inventory/*.yaml)', collect)
    .option('-j, --job <file>', "the job's inventory instead: its files and import sources")
    .action(async (flags: InventoryFlags) => (await import('../actions/inventory.js')).checkInventory(flags));

  inventory
    .command('list')
    .description(
      'list hosts as the runner sees them, after inheritance (secrets as references; none needs to be set)',
    )
    .option('-i, --inventory <file>', 'inventory file (repeatable; default: inventory/*.yaml)', collect)
    .option('-j, --job <file>', "the job's inventory instead: its files and import sources")
    .option('-l, --limit <pattern>', 'NAME, glob, group:NAME, platform:NAME, !EXCLUDE (repeatable)', collect)
    .option('--json', 'print hosts as JSON')
    .option('--show-origin', 'show where each value came from (host, group or defaults, with file:line)')
    .addHelpText('after', `\nExample:\n  netops inventory list --limit 'group:core,!r9' --show-origin`)
    .action(async (flags: InventoryFlags) => (await import('../actions/inventory.js')).listInventory(flags));

  inventory
    .command('import')
    .description(
      'write a netops inventory from RANCID, Ansible, Oxidized CSV or NetBox, each host under a comment naming its origin',
    )
    .argument('<source>', 'the file to read, or the NetBox URL')
    .requiredOption('--from <kind>', 'what SOURCE is: rancid, ansible, oxidized-csv or netbox')
    .option('-o, --out <file>', 'write the inventory to FILE (default: standard output)')
    .option(
      '--platform-map <type=platform>',
      'map a source device type or platform slug to a netops platform (repeatable)',
      collect,
    )
    .option('--cloginrc <file>', 'rancid: read users and passwords from this .cloginrc (needs --secrets-dir)')
    .option('--secrets-dir <dir>', 'where secrets read from the source go, one 0600 file each (never inline)')
    .option('--site <slug>', 'netbox: only devices at this site (repeatable: any of them)', collect)
    .option('--role <slug>', 'netbox: only devices with this role (repeatable: any of them)', collect)
    .option('--tag <slug>', 'netbox: only devices with this tag (repeatable: all of them)', collect)
    .option(
      '--option <key=value>',
      'any other option of the importer, VALUE read as YAML (repeatable; a repeated key gives a list)',
      collect,
    )
    .addHelpText(
      'after',
      `\nExamples:\n  netops inventory import --from rancid /var/lib/rancid/core/router.db --out inventory/core.yaml\n  NETBOX_TOKEN=... netops inventory import --from netbox https://netbox.example.com --site dc1 --tag backup`,
    )
    .action(async (source: string, flags: ImportFlags) => {
      process.exitCode = await (
        await import('../actions/inventory-import.js')
      ).importInventory(source, flags);
    });
}
