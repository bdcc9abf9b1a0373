/** `netops history HOST`: its flags and help; the work is in actions/history.ts, loaded when it runs. */
import type { Command } from 'commander';
import { positiveInt } from '../options.js';
import type { HistoryFlags } from '../actions/history.js';

export function register(program: Command): void {
  program
    .command('history')
    .description("when a host's stored config changed, and by which run (newest first)")
    .argument('<host>', 'inventory host name')
    .requiredOption('--store <dir>', 'store folder (the git repository of the job: its store.dir)')
    .option('--since <date>', 'only changes since a date (2026-11-01) or span back from now (7d, 36h)')
    .option('-n, --max-count <n>', 'at most this many changes', positiveInt)
    .option('--json', 'print the changes as JSON')
    .addHelpText(
      'after',
      `
Examples:
  netops history r1 --store /var/lib/netops/backups
  netops history r1 --store store --since 30d --json`,
    )
    .action(async (host: string, flags: HistoryFlags) =>
      (await import('../actions/history.js')).showHistory(host, flags),
    );
}
