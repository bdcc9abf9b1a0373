/**
 * Loads a job file: the structure, each step's task and params, and the sections other layers own.
 * Nothing here knows the tasks: the caller passes their schemas, so this layer never imports upward.
 */
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from './diagnostics.js';
import { ConfigInvalidError } from './diagnostics.js';
import { checkImportEntry, type InventorySource } from './import/source.js';
import { jobFileSchema, type JobFile } from './job-schema.js';
import { YamlSource } from './yaml-source.js';
import { parseOnce, zodToIssues } from './zod-issues.js';

/**
 * What a job is checked against, each part loaded when the file needs it: a job loads the schemas
 * of the tasks its steps name and of the sections it has, not every one this build knows.
 */
export interface JobSchemas {
  /** Task name -> its params schema. */
  readonly tasks: Readonly<Record<string, () => Promise<z.ZodType>>>;
  /** Top-level section name -> its schema and check (`tftp`, `store`, `notify`, ...). */
  readonly sections: Readonly<Record<string, () => Promise<JobSection>>>;
}

/** A top-level section owned by another layer. */
export interface JobSection {
  readonly schema: z.ZodType;
  /** Checks of its validated value against the file system, run before any device is contacted. */
  readonly check?: SectionCheck;
}

/** A problem a section check found, at a path inside its section. */
export interface SectionProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint: string;
}

/** Checks a validated section; relative paths in it resolve against `jobDir`. */
export type SectionCheck = (value: unknown, jobDir: string) => Promise<SectionProblem | undefined>;

export interface JobStep {
  readonly name: string;
  readonly task: string;
  readonly params: unknown;
  readonly timeoutMs: number | undefined;
  readonly retries: number | undefined;
}

export interface Job {
  readonly file: string;
  readonly dir: string;
  readonly name: string;
  /** Inventory files (absolute paths) and import sources, in the order the job lists them. */
  readonly inventoryFiles: readonly InventorySource[];
  readonly limit: readonly string[];
  readonly concurrency: number;
  /** Worker threads for the hosts' sessions (`runner/host-threads.ts`): a number, or chosen by the run. @default 'auto' */
  readonly threads?: number | 'auto';
  readonly stepTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly confirm: boolean;
  readonly trustNewHostKeys: boolean;
  readonly recordsDir: string;
  readonly steps: readonly JobStep[];
  /** Validated sections owned by other layers, by name. */
  readonly settings: Readonly<Record<string, unknown>>;
}

export const jobDefaults = {
  concurrency: 20,
  stepTimeoutMs: 120_000,
  connectTimeoutMs: 10_000,
  retries: 0,
  retryBackoffMs: 2_000,
  recordsDir: 'runs',
} as const;

export async function loadJob(file: string, schemas: JobSchemas): Promise<Job> {
  const source = await YamlSource.load(file);
  const { sections } = schemas;
  const raw = (source.data ?? {}) as Record<string, unknown>;
  // The core structure is strict; the sections are split off first and validated by their owners.
  const core = Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in sections)));
  const result = jobFileSchema.safeParse(core, parseOnce);
  const issues: ConfigIssue[] = [];
  if (!result.success) {
    issues.push(
      ...zodToIssues(source, result.error, jobFileSchema).map((issue) =>
        issue.message.startsWith('unknown field')
          ? { ...issue, message: `${issue.message}, ${Object.keys(sections).sort().join(', ')}` }
          : issue,
      ),
    );
  }
  const dir = path.dirname(path.resolve(file));
  const settings: Record<string, unknown> = {};
  for (const [name, load] of Object.entries(sections)) {
    if (!(name in raw)) continue;
    const { schema, check } = await load();
    const section = schema.safeParse(raw[name], parseOnce);
    if (!section.success) {
      issues.push(...zodToIssues(source, section.error, schema, [name]));
      continue;
    }
    settings[name] = section.data;
    const problem = await check?.(section.data, dir);
    if (problem) issues.push(source.issue([name, ...problem.path], problem.message, problem.hint));
  }
  const steps = result.success ? await validateSteps(source, result.data, schemas.tasks, issues) : [];
  if (result.data?.records !== undefined) {
    const problem = await notAFolder(path.resolve(dir, result.data.records));
    if (problem) issues.push(source.issue(['records'], problem, recordsHint));
  }
  const inventory = result.success ? await inventorySources(source, result.data, dir, issues) : [];
  if (issues.length > 0 || !result.success) throw new ConfigInvalidError(issues);

  const job = result.data;
  return {
    file,
    dir,
    name: job.name ?? path.basename(file).replace(/\.ya?ml$/, ''),
    inventoryFiles: inventory,
    limit: job.limit === undefined ? [] : typeof job.limit === 'string' ? [job.limit] : job.limit,
    concurrency: job.concurrency ?? jobDefaults.concurrency,
    ...(job.threads === undefined ? {} : { threads: job.threads }),
    stepTimeoutMs: job.timeouts?.step ?? jobDefaults.stepTimeoutMs,
    connectTimeoutMs: job.timeouts?.connect ?? jobDefaults.connectTimeoutMs,
    retries: job.retries?.count ?? jobDefaults.retries,
    retryBackoffMs: job.retries?.backoff ?? jobDefaults.retryBackoffMs,
    confirm: job.confirm ?? false,
    trustNewHostKeys: job.trustNewHostKeys ?? false,
    // Like every other path in a job, relative to the job file: cron's current folder must not matter.
    recordsDir: path.resolve(dir, job.records ?? jobDefaults.recordsDir),
    steps,
    settings,
  };
}

/** The job's inventory entries: files checked to exist, import sources checked against their importer. */
async function inventorySources(
  source: YamlSource,
  job: JobFile,
  dir: string,
  issues: ConfigIssue[],
): Promise<InventorySource[]> {
  const entries = [job.inventory].flat();
  const found: InventorySource[] = [];
  for (const [i, entry] of entries.entries()) {
    const at = Array.isArray(job.inventory) ? ['inventory', i] : ['inventory'];
    if (typeof entry !== 'string') {
      const checked = await checkImportEntry(entry, dir);
      if ('location' in checked) found.push(checked);
      else if ('problem' in checked)
        issues.push(
          source.issue([...at, ...checked.problem.path], checked.problem.message, checked.problem.hint),
        );
      else issues.push(...zodToIssues(source, checked.optionsError, checked.schema, at));
      continue;
    }
    const file = path.resolve(dir, entry);
    found.push(file);
    await access(file).catch(() =>
      issues.push(
        source.issue(
          at,
          `inventory file "${entry}" does not exist`,
          'Paths in a job file are relative to the job file.',
        ),
      ),
    );
  }
  return found;
}

const recordsHint =
  'Name a folder (relative to the job file) for run records, or remove `records:` to use runs/ next to the job file.';

/** Why `dir` cannot be used as a folder to write into, or undefined when it is one or does not exist yet. */
export async function notAFolder(dir: string): Promise<string | undefined> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error.code ?? 'unreadable');
  if (info === 'ENOENT' || (typeof info !== 'string' && info.isDirectory())) return undefined;
  const what =
    typeof info === 'string' ? `cannot be used (${info})` : info.isFile() ? 'a file' : 'not a folder';
  return `"${dir}" is ${what}; a folder is needed here`;
}

async function validateSteps(
  source: YamlSource,
  job: JobFile,
  tasks: JobSchemas['tasks'],
  issues: ConfigIssue[],
): Promise<JobStep[]> {
  const known = Object.keys(tasks).sort().join(', ');
  // Each named task's schema loaded once, all at once, before the steps are checked in order.
  const named = [...new Set(job.steps.map((step) => step.task))].filter((task) => Object.hasOwn(tasks, task));
  const schemas = new Map(
    await Promise.all(named.map(async (task) => [task, await tasks[task]!()] as const)),
  );
  return job.steps.flatMap((step, i): JobStep[] => {
    const schema = schemas.get(step.task);
    if (!schema) {
      issues.push(
        source.issue(
          ['steps', i, 'task'],
          `unknown task "${step.task}"; known tasks: ${known}`,
          'Fix the task name; `netops tasks` lists every task with what it does and its parameters.',
        ),
      );
      return [];
    }
    const params = schema.safeParse(step.params ?? {}, parseOnce);
    if (!params.success) {
      issues.push(...zodToIssues(source, params.error, schema, ['steps', i, 'params']));
      return [];
    }
    return [
      {
        name: step.name ?? step.task,
        task: step.task,
        params: params.data,
        timeoutMs: step.timeout,
        retries: step.retries,
      },
    ];
  });
}
