/** `netops report inventory`: inventory reports rendered from the facts in a store. */
import { Option, type Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import { entityClasses, type EntityClass } from '../../facts/device-facts.js';
import { inventoryReport, parseSince, reportFormats, type ReportFormat } from '../../report/report.js';
import type { GroupBy } from '../../report/inventory.js';

interface Flags {
  readonly store: string;
  readonly format: ReportFormat;
  readonly out?: string;
  readonly limit?: string;
  readonly groupBy: GroupBy;
  readonly class?: string;
  readonly changesSince?: string;
}

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
    .action(async (flags: Flags) => {
      const text = await inventoryReport({
        store: flags.store,
        format: flags.format,
        groupBy: flags.groupBy,
        ...(flags.limit ? { limit: flags.limit } : {}),
        ...(flags.class ? { classes: parseClasses(flags.class) } : {}),
        ...(flags.changesSince ? { changesSince: parseSince(flags.changesSince) } : {}),
      });
      if (flags.out === undefined) process.stdout.write(text);
      else {
        await writeFileAtomic(flags.out, text);
        process.stderr.write(`wrote ${flags.out}\n`);
      }
    });
}

function parseClasses(text: string): EntityClass[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(entityClasses as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `--class ${text}: unknown class ${unknown.join(', ') || '(none given)'}`,
      {
        hint: `Use one or more of ${entityClasses.join(', ')}, comma-separated.`,
      },
    );
  }
  return names as EntityClass[];
}
