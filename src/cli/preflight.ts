/**
 * Input checks of every step for every host, before `--plan` prints or a run contacts anything:
 * a refusal is bad input (exit 2), reported for all hosts at once so one fix-and-retry suffices.
 */
import type { Job } from '../config/job.js';
import type { Host } from '../config/model.js';
import { NetopsError, isNetopsError } from '../core/errors.js';
import type { AnyTask } from '../tasks/task.js';

export function checkSteps(job: Job, hosts: readonly Host[], tasks: Readonly<Record<string, AnyTask>>): void {
  const planContext = { dir: job.dir, settings: job.settings, stepTimeoutMs: job.stepTimeoutMs };
  const refused: NetopsError[] = [];
  for (const step of job.steps) {
    const check = tasks[step.task]?.check;
    if (!check) continue;
    for (const host of hosts) {
      try {
        check(host, step.params, planContext);
      } catch (error) {
        if (!isNetopsError(error)) throw error;
        refused.push(error);
      }
    }
  }
  const [first] = refused;
  if (!first) return;
  if (refused.length === 1) throw first;
  throw new NetopsError(
    first.code,
    `${refused.length} host(s) refused before anything was contacted:\n${refused.map((e) => e.message).join('\n')}`,
    { hint: first.hint, details: { hosts: refused.map((e) => e.toJSON()) } },
  );
}
