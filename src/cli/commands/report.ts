/** `netops report inventory`: its flags and help; the report is built in actions/report.ts, loaded when it runs. */
import { Option, type Command } from 'commander';
import { entityClasses } from '../../facts/entity-classes.js';
import { reportFormats } from '../../report/formats.js';
import type { ReportFlags } from '../actions/report.js';

export function register(program: Command): void {
  const report = program.command('report').description('reports generated from the store');
  report
    .command('inventory')
    .description('models, serial numbers and versions of every device, from the facts `collect` stored')
    .requiredOption('--store <dir>', 'store folder (holds facts/HOST.json)')
    .addOption(new Option('--format <format>', 'output format').choices(reportFormats).default('html'))
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option(
      '--limit <patterns>',
      'hosts: names, globs, group:NAME, platform:NAME, !EXCLUDED (comma-separated)',
    )
    .addOption(
      new Option('--group-by <key>', 'count and group by')
        .choices(['site', 'platform', 'model'])
        .default('site'),
    )
    .option('--class <classes>', `entity classes, comma-separated (${entityClasses.join(', ')})`)
    .option(
      '--changes-since <date>',
      'add the changes since a date (2026-11-01) or span (7d, 36h) from git history',
    )
    .addHelpText(
      'after',
      `
Examples:
  netops report inventory --store /srv/netops/store --format html --out inventory.html --changes-since 30d
  netops report inventory --store store --format csv --class chassis,module --limit 'group:core'`,
    )
    .action(async (flags: ReportFlags) => (await import('../actions/report.js')).reportInventory(flags));
}
