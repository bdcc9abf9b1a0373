/**
 * `netops render JOB --limit HOST`: prints the config a job's startup-config step would install on
 * each selected host, rendered from its template with the host's inventory data. Contacts nothing;
 * template secrets print as placeholders. Its flags and help; the work is in actions/render.ts.
 */
import type { Command } from 'commander';
import type { RenderFlags } from '../actions/render.js';
import { collect } from '../options.js';

export function register(program: Command): void {
  program
    .command('render')
    .description("print the config a job's startup-config step renders for each host (contacts nothing)")
    .argument('<job>', 'job file (YAML)')
    .option('-i, --inventory <file>', "inventory file instead of the job's (repeatable)", collect)
    .option('-l, --limit <pattern>', 'hosts to render for (repeatable, comma lists)', collect)
    .option('--step <name>', 'which startup-config step, when the job has several')
    .addHelpText(
      'after',
      `
Examples:
  netops render jobs/n7k-startup-config.yaml --limit n7k-core1
  netops render jobs/branch-vpn.yaml --limit 'group:branches' > /tmp/branches.cfg

Template secrets ({{ secrets.NAME }}) print as <secret:NAME>; they are read only when the job runs.`,
    )
    .action(async (file: string, flags: RenderFlags) => {
      const { renderCommand } = await import('../actions/render.js');
      process.stdout.write(await renderCommand(file, flags));
    });
}
