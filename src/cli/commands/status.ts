/** `netops status [JOB]`: its flags and help; the table is built in actions/status.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { StatusFlags } from '../actions/status.js';
import { collect } from '../options.js';

export function register(program: Command): void {
  program
    .command('status')
    .description(
      'per host: last attempt, last good run, age, last error, backup method (with a job: every host of its inventory)',
    )
    .argument(
      '[job]',
      'job file: its runs (from its records folder) and every host of its inventory (default: every run in ./runs)',
    )
    .option('--records <dir>', "folder of run records (default: the job's, else ./runs)")
    .option(
      '-l, --limit <pattern>',
      'hosts to show: NAME, glob, group:NAME, platform:NAME, !EXCLUDE (repeatable, comma lists)',
      collect,
    )
    .option('--stale <age>', 'only hosts with no good run for longer than AGE (90m, 24h, 7d); exit 1 if any')
    .option('--json', 'print the hosts as JSON')
    .addHelpText(
      'after',
      `
Examples:
  netops status jobs/nightly-backup.yaml
  netops status jobs/nightly-backup.yaml --stale 24h    # for monitoring: exit 1 when a backup is older

Exit codes: 0 shown (with --stale: none stale), 1 with --stale: some host is stale, 2 invalid input.`,
    )
    .action(async (job: string | undefined, flags: StatusFlags) => {
      const { statusCommand } = await import('../actions/status.js');
      process.exitCode = await statusCommand(job, flags);
    });
}
