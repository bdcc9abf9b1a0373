/** `netops store explain HOST`: its flags and help; the work is in actions/store-explain.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { StoreExplainFlags } from '../actions/store-explain.js';

export function register(program: Command): void {
  const store = program.command('store').description('questions about the backup store');
  store
    .command('explain')
    .description(
      'which rule masked, dropped or rewrote which line of the last backup of a host (secrets, volatile lines, noise rules)',
    )
    .argument('<host>', 'the inventory name of the host')
    .option('--store <dir>', "the store folder (the job's store.dir)")
    .option('--job <file>', 'the job file whose store to read (instead of --store)')
    .option('--json', 'print the explanation as JSON')
    .addHelpText(
      'after',
      `
Examples:
  netops store explain r1 --job jobs/nightly-backup.yaml
  netops store explain r1 --store /var/lib/netops/backups --json`,
    )
    .action(async (host: string, flags: StoreExplainFlags) =>
      (await import('../actions/store-explain.js')).storeExplain(host, flags),
    );
}
