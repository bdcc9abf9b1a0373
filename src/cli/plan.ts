/** `netops run --plan`: every step per host with its parameters, and nothing contacted. */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { AnyTask } from '../tasks/task.js';
import { destructiveReasons } from '../runner/confirm.js';
import { maskSecrets } from './mask.js';

export function formatPlan(
  job: Job,
  hosts: readonly Host[],
  tasks: Readonly<Record<string, AnyTask>>,
): string {
  const lines = [
    `Plan for job "${job.name}" (${job.file}): ${hosts.length} host${hosts.length === 1 ? '' : 's'}, ` +
      `${job.steps.length} step${job.steps.length === 1 ? '' : 's'}, concurrency ${job.concurrency}`,
  ];
  // Per host and step, worked out once: the header lists the destructive steps, each host marks them.
  const marks = hosts.map((host) =>
    job.steps.map((step) => destructiveReasons(tasks[step.task], step.params, host) !== undefined),
  );
  const destructive = job.steps.filter((_, i) => marks.some((hostMarks) => hostMarks[i]));
  if (destructive.length > 0) {
    lines.push(
      `Destructive steps: ${destructive.map((s) => s.name).join(', ')} — they run only with --yes or \`confirm: true\`.`,
    );
  }
  const planContext = { dir: job.dir, settings: job.settings, stepTimeoutMs: job.stepTimeoutMs };
  // What every host's step shows alike, worked out once per step (plain loops: this runs per host).
  const steps = job.steps.map((step, i) => ({
    params: step.params,
    task: tasks[step.task],
    head: `  ${i + 1}. ${step.name} (${step.task})`,
    shown: `  ${JSON.stringify(maskSecrets(step.params))}`,
  }));
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h]!;
    lines.push(
      '',
      `${host.name} (${host.address}${host.platform ? `, ${host.platform}` : ''}, ${host.transport})`,
    );
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      lines.push(`${step.head}${marks[h]![i] ? '  [destructive]' : ''}${step.shown}`);
      const planned = step.task?.plan?.(host, step.params, planContext);
      if (planned) for (const line of planned) lines.push(`       ${line}`);
    }
  }
  return lines.join('\n');
}
