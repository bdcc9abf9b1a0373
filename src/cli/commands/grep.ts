/** `netops grep PATTERN`: its flags and help; the work is in actions/grep.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { GrepFlags } from '../actions/grep.js';

export function register(program: Command): void {
  program
    .command('grep')
    .description("which devices' current stored configs contain a line (sanitized text; exit 1 when none)")
    .argument('<pattern>', 'POSIX extended regular expression (as grep -E), or a string with -F')
    .requiredOption('--store <dir>', 'store folder (the git repository of the job: its store.dir)')
    .option(
      '--limit <patterns>',
      'hosts: names, globs, group:NAME, platform:NAME (from stored facts), !EXCLUDED (comma-separated)',
    )
    .option('-i, --ignore-case', 'match upper and lower case alike')
    .option('-F, --fixed-strings', 'the pattern is a plain string')
    .option('--json', 'print the matches per host as JSON')
    .addHelpText(
      'after',
      `
Examples:
  netops grep '^snmp-server community' --store store
  netops grep 'ip route 0.0.0.0' --store store --limit 'r*,!r9' --json`,
    )
    .action(async (pattern: string, flags: GrepFlags) =>
      (await import('../actions/grep.js')).grepStore(pattern, flags),
    );
}
