/** `netops diff`: its flags and help; the work is in actions/diff.ts, loaded when it runs. */
import type { Command } from 'commander';
import { collect } from '../options.js';
import type { DiffFlags } from '../actions/diff.js';

export function register(program: Command): void {
  program
    .command('diff')
    .description(
      "what changed in a host's stored config between two revisions, or in the network between two runs",
    )
    .argument('[host]', 'inventory host name (with --run: only this host)')
    .argument('[rev1]', 'from: run id, last~N, date, commit (default: before the last change)')
    .argument('[rev2]', 'to: the same forms (default: the newest)')
    .requiredOption('--store <dir>', 'store folder (the git repository of the job: its store.dir)')
    .option(
      '--run <run>',
      'a run id, run/ID, last or last~N; twice: from A to B, once: since the run before',
      collect,
    )
    .option('--stat', 'one line per changed host instead of the diff')
    .option('--json', 'print the comparison as JSON')
    .addHelpText(
      'after',
      `
Examples:
  netops diff r1 --store store                        the last change of r1
  netops diff r1 2026-11-20 --store store             r1 since 20 November
  netops diff --run last~1 --run last --store store   what the last run changed in the network
  netops diff --run 2026-11-29T02-00-00-412Z-nightly --stat --store store`,
    )
    .action(
      async (
        host: string | undefined,
        rev1: string | undefined,
        rev2: string | undefined,
        flags: DiffFlags,
      ) => (await import('../actions/diff.js')).showDiff(host, [rev1, rev2], flags),
    );
}
