/** `netops run --plan`: every step per host with its parameters, and nothing contacted. */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { AnyTask } from '../tasks/task.js';
import { destructiveReasons } from '../runner/runner.js';
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
  const destructive = job.steps.filter((s) =>
    hosts.some((host) => destructiveReasons(tasks[s.task], s.params, host)),
  );
  if (destructive.length > 0) {
    lines.push(
      `Destructive steps: ${destructive.map((s) => s.name).join(', ')} — they run only with --yes or \`confirm: true\`.`,
    );
  }
  const planContext = { dir: job.dir, settings: job.settings, stepTimeoutMs: job.stepTimeoutMs };
  for (const host of hosts) {
    lines.push(
      '',
      `${host.name} (${host.address}${host.platform ? `, ${host.platform}` : ''}, ${host.transport})`,
    );
    job.steps.forEach((step, i) => {
      const task = tasks[step.task];
      const mark = destructiveReasons(task, step.params, host) ? '  [destructive]' : '';
      lines.push(
        `  ${i + 1}. ${step.name} (${step.task})${mark}  ${JSON.stringify(maskSecrets(step.params))}`,
      );
      for (const line of task?.plan?.(host, step.params, planContext) ?? []) lines.push(`       ${line}`);
    });
  }
  return lines.join('\n');
}
