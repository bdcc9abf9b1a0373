/**
 * `netops render JOB --limit HOST`: prints the config a job's startup-config step would install on
 * each selected host, rendered from its template with the host's inventory data. Contacts nothing;
 * template secrets print as placeholders.
 */
import type { Command } from 'commander';
import { NetopsError } from '../../core/errors.js';
import { startupConfigParams } from '../../tasks/startup-config/params.js';
import { renderConfig } from '../../tasks/startup-config/source.js';
import { loadHosts, loadJobFile } from '../load.js';
import { collect } from '../options.js';

interface RenderFlags {
  inventory?: string[];
  limit?: string[];
  step?: string;
}

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
      process.stdout.write(await renderCommand(file, flags));
    });
}

export async function renderCommand(file: string, flags: RenderFlags): Promise<string> {
  const job = await loadJobFile(file);
  const steps = job.steps.filter((s) => s.task === 'startup-config');
  const step = flags.step === undefined ? steps[0] : steps.find((s) => s.name === flags.step);
  if (!step || (flags.step === undefined && steps.length > 1)) {
    throw new NetopsError(
      'CONFIG_INVALID',
      flags.step === undefined
        ? `job "${job.name}" has ${steps.length} startup-config steps`
        : `job "${job.name}" has no startup-config step named "${flags.step}"`,
      { hint: `Name one with --step: ${steps.map((s) => s.name).join(', ') || '(none in this job)'}.` },
    );
  }
  const params = startupConfigParams.parse(step.params);
  const { hosts } = await loadHosts(flags.inventory ?? job.inventoryFiles, flags.limit ?? job.limit, (text) =>
    process.stderr.write(`${text}\n`),
  );
  const rendered = hosts.map((host) => ({ host, text: renderConfig(host, params, job.dir).text }));
  if (rendered.length === 1) return rendered[0]?.text ?? '';
  return rendered.map((r) => `! ==== ${r.host.name} ====\n${r.text}`).join('\n');
}
