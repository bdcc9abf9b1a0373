/**
 * What `netops schema` writes: JSON Schemas of inventory files, job files and run records, and the
 * project's schema of the containerlab topologies `netops lab export` writes, for editors and tools.
 */
import path from 'node:path';
import { z } from 'zod';
import { inventoryFileSchema } from '../../config/inventory-schema.js';
import { jobFileSchema, stepSchema } from '../../config/job-schema.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { containerlabTopologySchema, containerlabVersion } from '../../lab/container/containerlab-schema.js';
import { runRecordSchema } from '../../runner/run-record.js';
import { tasks } from '../../tasks/registry.js';
import { loadJobSections } from '../job-sections.js';
import { inventoryVocabulary } from '../load.js';

/** The job schema with one step variant per task, so editors complete each task's params. */
async function jobSchema(): Promise<z.ZodType> {
  const sections = await loadJobSections();
  const stepVariants = Object.values(tasks).map((task) =>
    stepSchema.extend({ task: z.literal(task.name).describe(task.summary), params: task.params.optional() }),
  );
  const [first, ...rest] = stepVariants;
  const steps = first
    ? z.array(rest.length ? z.union([first, ...rest]) : first).min(1)
    : jobFileSchema.shape.steps;
  return jobFileSchema.extend({
    steps,
    ...Object.fromEntries(Object.entries(sections).map(([name, { schema }]) => [name, schema.optional()])),
  });
}

export async function schemas(): Promise<Record<string, unknown>> {
  const toJson = (schema: z.ZodType, title: string) => ({
    title,
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  });
  return {
    'inventory.schema.json': toJson(
      inventoryFileSchema(await inventoryVocabulary()),
      'netops inventory file',
    ),
    'job.schema.json': toJson(await jobSchema(), 'netops job file'),
    'run-record.schema.json': toJson(runRecordSchema, 'netops run record'),
    'containerlab-topology.schema.json': toJson(
      containerlabTopologySchema,
      `containerlab topology definition file (containerlab ${containerlabVersion}, as netops lab export writes it)`,
    ),
  };
}

/** Writes every schema into `dir`, one file each, atomically. */
export async function writeSchemas(dir: string): Promise<void> {
  for (const [name, schema] of Object.entries(await schemas())) {
    const file = path.join(dir, name);
    await writeFileAtomic(file, `${JSON.stringify(schema, null, 2)}\n`);
    process.stdout.write(`wrote ${file}\n`);
  }
}
