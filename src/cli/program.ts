/** The `netops` command tree: every command and option, registered once (main.ts runs it, tests read it). */
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { register as registerInventory } from './commands/inventory.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSchema } from './commands/schema.js';
import { version } from './version.js';

export function createProgram(): Command {
  const program = new Command('netops')
    .description('network device automation: config backup, SNMP inventory, startup-config workflows')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  netops run jobs/nightly-backup.yaml --plan      show what would happen, contact nothing
  netops run jobs/nightly-backup.yaml --quiet     from cron: output only on failure
  netops inventory list --limit group:core --show-origin
  netops tasks                                    what a job step can do, with its parameters
  netops schema --out docs/schema

Commands, options and exit codes: docs/cli.md.`,
    );
  for (const register of [registerRun, registerInventory, registerSchema, ...commands]) register(program);
  return program;
}
