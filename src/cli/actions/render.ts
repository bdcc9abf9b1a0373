/** What `netops render JOB` does: the config a job's startup-config step would install, per host. */
import { NetopsError } from '../../core/errors.js';
import { startupConfigParams } from '../../tasks/startup-config/params.js';
import { renderConfig } from '../../tasks/startup-config/source.js';
import { loadHosts, loadJobFile } from '../load.js';

export interface RenderFlags {
  inventory?: string[];
  limit?: string[];
  step?: string;
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
