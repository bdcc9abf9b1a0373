/**
 * `netops lab export --containerlab FILE`: a container lab as a containerlab topology. Its flags and
 * help; what it does is in actions/lab-export.ts. `register(lab)` adds it to the `lab` command.
 */
import type { Command } from 'commander';

export function register(lab: Command): void {
  lab
    .command('export')
    .description('write a container lab (lab up --mode container) as a containerlab topology file')
    .requiredOption('--containerlab <file>', 'the topology file to write (FILE.clab.yml)')
    .option('--dir <dir>', 'lab folder of the container lab', 'lab')
    .addHelpText(
      'after',
      '\nExample:\n  netops lab export --dir lab/ --containerlab lab/netops.clab.yml && containerlab deploy -t lab/netops.clab.yml',
    )
    .action(async (flags: { containerlab: string; dir: string }) =>
      (await import('../actions/lab-export.js')).labExportAction(flags),
    );
}
