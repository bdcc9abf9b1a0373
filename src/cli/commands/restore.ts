/** `netops restore HOST`: its flags and help; the restore is in actions/restore.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { RestoreFlags } from '../actions/restore.js';

export function register(program: Command): void {
  program
    .command('restore')
    .description(
      "put a device back to a stored revision's config: shows the diff against its running-config, installs it with --yes",
    )
    .argument('<host>', 'the inventory host to restore')
    .requiredOption('-j, --job <file>', 'the backup job whose store (and restore vault) holds the host')
    .requiredOption(
      '--to <revision>',
      'a run id, last or last~N, a date (2026-11-20, 2026-11-20T06:00Z: the store as it was then) or a commit',
    )
    .option('--plan', 'fetch the running-config and show the diff; install nothing')
    .option('-y, --yes', 'install the config (IOS configure replace; NX-OS write erase, reload, merge)')
    .option('--trust-new-hosts', 'pin the SSH host key of a device seen for the first time')
    .option('--json', 'print the run record as JSON on stdout')
    .addHelpText(
      'after',
      `
Only backups taken while the job had \`restore:\` enabled can be restored: the store's own copy has
its secrets masked. See docs/restore.md.

Examples:
  netops restore r1 --job jobs/nightly-backup.yaml --to 2026-11-24 --plan
  netops restore r1 --job jobs/nightly-backup.yaml --to last~3 --yes

Exit codes: 0 restored (or --plan shown), 1 the restore failed, 2 invalid input or not confirmed
(nothing installed; a revision that cannot be restored is refused before any device is contacted).`,
    )
    .action(async (host: string, flags: RestoreFlags) => {
      const { restoreCommand } = await import('../actions/restore.js');
      process.exitCode = await restoreCommand(host, flags);
    });
}
