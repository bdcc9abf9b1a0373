/** What `netops tasks` prints: the tasks a job step can name, what each does and its parameters. */
import { z } from 'zod';
import { tasks } from '../../tasks/registry.js';

export function printTasks(flags: { json?: boolean }): void {
  const text = flags.json
    ? JSON.stringify(
        Object.values(tasks).map((t) => ({
          name: t.name,
          summary: t.summary,
          params: paramsSchema(t.params),
        })),
        null,
        2,
      )
    : formatTasks();
  process.stdout.write(`${text}\n`);
}

function paramsSchema(params: z.ZodType): { properties?: Record<string, { default?: unknown }> } {
  return z.toJSONSchema(params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { default?: unknown }>;
  };
}

/** One line per task, then its parameters with their defaults: enough to write a step. */
export function formatTasks(): string {
  return Object.values(tasks)
    .map((task) => {
      const properties = Object.entries(paramsSchema(task.params).properties ?? {});
      const params = properties.map(([name, p]) =>
        p.default === undefined ? name : `${name} (default ${JSON.stringify(p.default)})`,
      );
      return `${task.name}: ${task.summary}\n  params: ${params.join(', ') || 'none'}`;
    })
    .join('\n');
}
