#!/usr/bin/env node
/** The `netops` command: parses flags, hands over to a command, and turns errors into exit codes. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { register as registerInventory } from './commands/inventory.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSchema } from './commands/schema.js';
import { exitCodeFor, exitCodes, formatError } from './exit.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

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
  netops schema --out docs/schema`,
  );

for (const register of [registerRun, registerInventory, registerSchema, ...commands]) register(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed the problem (or the help/version text).
    process.exitCode = error.exitCode === 0 ? 0 : exitCodes.invalidInput;
  } else {
    process.stderr.write(`${formatError(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
// Sockets a hanging device left open must not keep a finished run alive; but what was printed to a
// pipe (`--json | jq`) is written asynchronously and must reach it first.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(process.exitCode ?? 0);
