/** `netops schema`: its flags and help; the schemas are built in actions/schema.ts, loaded when it runs. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('schema')
    .description('write JSON Schemas for inventory files, job files and run records')
    .option('-o, --out <dir>', 'output folder', 'docs/schema')
    .addHelpText(
      'after',
      `\nExample:\n  netops schema --out docs/schema\n  # then, first line of a YAML file: # yaml-language-server: $schema=../docs/schema/job.schema.json`,
    )
    .action(async (flags: { out: string }) => (await import('../actions/schema.js')).writeSchemas(flags.out));
}
