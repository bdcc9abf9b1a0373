/**
 * Destructive steps (erase, reload) run only when confirmed: what a step would destroy per host, and
 * the refusal before any host is contacted. Apart from the runner so `netops run --plan`, which marks
 * them, loads no runner.
 */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { AnyTask } from '../tasks/task.js';
import { NetopsError } from '../core/errors.js';

/**
 * What is destructive about a step on a host (or on any host): the lines the task names, an empty
 * list when the whole step is (startup-config), undefined when nothing is.
 */
export function destructiveReasons(
  task: AnyTask | undefined,
  params: unknown,
  host?: Host,
): string[] | undefined {
  const found = task?.destructive?.(params, host);
  if (found === true) return [];
  return found && found.length > 0 ? [...found] : undefined;
}

/** Refuses destructive steps that were not confirmed, before any host is contacted. */
export function assertConfirmed(
  job: Job,
  tasks: Readonly<Record<string, AnyTask>>,
  confirmed: boolean,
  hosts?: readonly Host[],
): void {
  if (confirmed || job.confirm) return;
  const targets = hosts && hosts.length > 0 ? hosts : [undefined];
  const destructive = job.steps.flatMap((step) => {
    const found = targets.flatMap((host) => {
      const reasons = destructiveReasons(tasks[step.task], step.params, host);
      if (!reasons) return [];
      return reasons.length === 0 ? [''] : reasons.map((r) => (host ? `on ${host.name}, ${r}` : r));
    });
    return found.length > 0 ? [{ step, found: found.filter((r) => r !== '') }] : [];
  });
  if (destructive.length === 0) return;
  const lines = destructive.flatMap((d) => d.found);
  const shown = lines.slice(0, 10).join('; ') + (lines.length > 10 ? `; and ${lines.length - 10} more` : '');
  throw new NetopsError(
    'CONFIRM_REQUIRED',
    `step ${destructive.map((d) => `"${d.step.name}"`).join(', ')} is destructive (erases or reloads devices) and was not confirmed` +
      (lines.length > 0 ? `: ${shown}` : ''),
    {
      hint: 'Nothing was sent. Review `netops run JOB --plan`, then run again with --yes (or set `confirm: true` in the job).',
      details: { steps: destructive.map((d) => d.step.name), lines },
    },
  );
}
