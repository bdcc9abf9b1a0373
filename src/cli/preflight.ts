/**
 * Input checks of every step for every host, before `--plan` prints or a run contacts anything:
 * a refusal is bad input (exit 2), reported for all hosts at once so one fix-and-retry suffices.
 * A refusal that names the job setting at fault (`details.jobPath`) is shown at its place in the
 * job file (file:line:col), or at the step that asked for it when the file has no such setting.
 */
import { readFileSync } from 'node:fs';
import type { Job } from '../config/job.js';
import type { Host } from '../config/model.js';
import { ConfigInvalidError, type ConfigIssue } from '../config/diagnostics.js';
import { YamlSource, displayPath } from '../config/yaml-source.js';
import { NetopsError, isNetopsError } from '../core/errors.js';
import type { AnyTask } from '../tasks/task.js';

export interface CheckStepsOptions {
  /**
   * Where step `index` stands in the job file. @default `steps[index]`; a command that makes its
   * own step (`netops restore`) names the section that stands for it.
   */
  readonly stepPath?: (index: number) => readonly PropertyKey[];
}

interface Refusal {
  readonly error: NetopsError;
  readonly step: number;
}

export function checkSteps(
  job: Job,
  hosts: readonly Host[],
  tasks: Readonly<Record<string, AnyTask>>,
  options: CheckStepsOptions = {},
): void {
  const planContext = { dir: job.dir, settings: job.settings, stepTimeoutMs: job.stepTimeoutMs };
  const refused: Refusal[] = [];
  for (const [index, step] of job.steps.entries()) {
    const check = tasks[step.task]?.check;
    if (!check) continue;
    for (const host of hosts) {
      try {
        check(host, step.params, planContext);
      } catch (error) {
        if (!isNetopsError(error)) throw error;
        refused.push({ error, step: index });
      }
    }
  }
  const [first] = refused;
  if (!first) return;
  if (refused.some((r) => jobPathOf(r.error))) throw positioned(job, refused, options);
  if (refused.length === 1) throw first.error;
  throw new NetopsError(
    first.error.code,
    `${refused.length} host(s) refused before anything was contacted:\n${refused.map((r) => r.error.message).join('\n')}`,
    { hint: first.error.hint, details: { hosts: refused.map((r) => r.error.toJSON()) } },
  );
}

function jobPathOf(error: NetopsError): readonly PropertyKey[] | undefined {
  const path = error.details?.['jobPath'];
  return Array.isArray(path) ? (path as PropertyKey[]) : undefined;
}

/** The refusals at their places in the job file: read again only now, on the way to exit 2. */
function positioned(job: Job, refused: readonly Refusal[], options: CheckStepsOptions): ConfigInvalidError {
  const source = YamlSource.parse(displayPath(job.file), readFileSync(job.file, 'utf8'));
  const stepPath = options.stepPath ?? ((index: number) => ['steps', index]);
  const issues: ConfigIssue[] = refused.map(({ error, step }) => {
    const setting = jobPathOf(error);
    const at = setting && exists(source.data, setting) ? setting : stepPath(step);
    return source.issue(at, error.message, error.hint);
  });
  return new ConfigInvalidError(issues);
}

function exists(data: unknown, path: readonly PropertyKey[]): boolean {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(String(part) in node)) return false;
    node = (node as Record<string, unknown>)[String(part)];
  }
  return true;
}
