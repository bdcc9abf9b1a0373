/** What `netops report inventory` does: inventory reports rendered from the facts in a store. */
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import { entityClasses, type EntityClass } from '../../facts/entity-classes.js';
import type { GroupBy } from '../../report/inventory.js';
import { inventoryReport, parseSince, type ReportFormat } from '../../report/report.js';

export interface ReportFlags {
  readonly store: string;
  readonly format: ReportFormat;
  readonly out?: string;
  readonly limit?: string;
  readonly groupBy: GroupBy;
  readonly class?: string;
  readonly changesSince?: string;
}

export async function reportInventory(flags: ReportFlags): Promise<void> {
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
