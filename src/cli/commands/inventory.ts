/** `netops inventory check|list`: their flags and help; what they do is in actions/inventory.ts, loaded when one runs. */
import type { Command } from 'commander';
import type { InventoryFlags } from '../actions/inventory.js';
import { collect } from '../options.js';

export function register(program: Command): void {
  const inventory = program.command('inventory').description('check and list inventory files');

  inventory
    .command('check')
    .description('validate inventory files and check that every referenced secret is readable')
    .option('-i, --inventory <file>', 'inventory file (repeatable; default: inventory/*.yaml)', collect)
    .action(async (flags: InventoryFlags) => (await import('../actions/inventory.js')).checkInventory(flags));

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
    .action(async (flags: InventoryFlags) => (await import('../actions/inventory.js')).listInventory(flags));
}
