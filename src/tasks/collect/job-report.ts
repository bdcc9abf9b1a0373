/**
 * The inventory report a job asks for in its collect step (`report: { out, format, ... }`): a run
 * resource that renders the report from the store when the run ends. Resources close in the order
 * they were opened, and the store is opened first, so the report sees this run's commit.
 */
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { entityClasses } from '../../facts/device-facts.js';
import { reportFormats } from '../../report/formats.js';
import type { TaskContext } from '../task.js';

export const jobReportSchema = z.strictObject({
  /** Where to write the report, relative to the job file's folder. */
  out: z.string().min(1),
  format: z.enum(reportFormats).default('html'),
  groupBy: z.enum(['site', 'platform', 'model']).default('site'),
  classes: z.array(z.enum(entityClasses)).min(1).optional(),
  /** A date (`2026-11-01`) or a span back from the end of the run (`7d`, `36h`). */
  changesSince: z.string().optional(),
});

export type JobReport = z.infer<typeof jobReportSchema>;

export async function requestJobReport(ctx: TaskContext, storeDir: string, report: JobReport): Promise<void> {
  const out = path.resolve(ctx.job.dir, report.out);
  // The renderers load when a run asks for a report, not with the task list (`--plan`).
  const { inventoryReport, parseSince } = await import('../../report/report.js');
  if (report.changesSince !== undefined) parseSince(report.changesSince); // a bad date fails the step, not the end of the run
  await ctx.resource(`report:${out}`, async () => ({
    async close() {
      const text = await inventoryReport({
        store: storeDir,
        format: report.format,
        groupBy: report.groupBy,
        ...(report.classes ? { classes: report.classes } : {}),
        ...(report.changesSince ? { changesSince: parseSince(report.changesSince) } : {}),
      });
      await writeFileAtomic(out, text);
    },
  }));
}
