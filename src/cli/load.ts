/** Loads what a command works on: the job, its inventory, the selected hosts, with secrets checked. */
import { readdir } from 'node:fs/promises';
import type { z } from 'zod';
import path from 'node:path';
import { ConfigInvalidError } from '../config/diagnostics.js';
import { loadInventory, type Inventory } from '../config/inventory.js';
import type { InventoryVocabulary } from '../config/inventory-schema.js';
import { loadJob, type Job } from '../config/job.js';
import { selectHosts } from '../config/limit.js';
import type { Host } from '../config/model.js';
import { readImportSource, type InventorySource } from '../config/import/source.js';
import { checkSecrets, resolveSecret } from '../config/secrets.js';
import { NetopsError } from '../core/errors.js';
import { stateDir } from '../core/state-dir.js';
import { yamlDataCache, type YamlDataCache } from '../config/yaml-data-cache.js';
import { platforms } from '../platforms/registry.js';
import { hostDataTaskNames, loadTasks, taskCatalog, withSubtasks } from '../tasks/catalog.js';
import { jobSections } from './job-sections.js';
import { formatImportProblems } from './import-problems.js';
import { formatWarnings } from './warnings.js';
import type { AnyTask } from '../tasks/task.js';

export interface Loaded {
  readonly inventory: Inventory;
  readonly hosts: Host[];
}

/** Each task's params schema is loaded only for the tasks the job's steps name. */
const taskSchemas = Object.fromEntries(
  Object.entries(taskCatalog).map(([name, entry]) => [name, async () => (await entry.load()).params]),
);

export async function loadJobFile(file: string): Promise<Job> {
  return loadJob(file, { tasks: taskSchemas, sections: jobSections });
}

/** What an inventory is checked against: the registered platforms and the host data keys tasks read. */
export async function inventoryVocabulary(): Promise<InventoryVocabulary> {
  const readers = Object.values(await loadTasks(hostDataTaskNames()));
  return {
    platforms: Object.keys(platforms),
    hostData: Object.assign({}, ...readers.map((task) => task.hostData ?? {})) as Record<string, z.ZodType>,
  };
}

/** The tasks the job's steps name, loaded (what checking and planning its steps needs). */
export async function jobTasks(job: Job): Promise<Record<string, AnyTask>> {
  return loadTasks(job.steps.map((step) => step.task));
}

/** The tasks a run of the job may run: those its steps name and those they run inside their steps. */
export async function runTasks(job: Job): Promise<Record<string, AnyTask>> {
  return loadTasks(withSubtasks(job.steps.map((step) => step.task)));
}

/** Where a large inventory's data is kept between runs: the state folder's `inventory-cache/`. */
function inventoryCache(): YamlDataCache {
  return yamlDataCache(path.join(stateDir(), 'inventory-cache'));
}

/** `inventory/*.yaml` in the current folder when no file is named. */
export async function defaultInventoryFiles(): Promise<string[]> {
  const dir = path.resolve('inventory');
  try {
    const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
    if (names.length > 0) return names.map((n) => path.join(dir, n));
  } catch {
    // reported below
  }
  throw new NetopsError('CONFIG_UNREADABLE', 'no inventory file given and none found in ./inventory/', {
    hint: 'Pass --inventory FILE, or run from a folder with inventory/*.yaml.',
  });
}

export async function loadHosts(
  files: readonly InventorySource[],
  limit: readonly string[],
  warn: (text: string) => void,
  /** Listing hosts shows secret references, never values: it needs none of them readable. @default true */
  { checkSecrets: check = true }: { readonly checkSecrets?: boolean } = {},
): Promise<Loaded> {
  // Import sources are read on every load: the source of truth may have changed since the last run.
  const sources = await Promise.all(
    files.map((f) => (typeof f === 'string' ? f : readImportSource(f, resolveSecret))),
  );
  const inventory = await loadInventory(sources, await inventoryVocabulary(), inventoryCache());
  for (const text of formatWarnings(inventory.warnings)) warn(text);
  for (const text of formatImportProblems(inventory.importProblems)) warn(text);
  const selection = selectHosts(inventory.hosts.values(), limit);
  for (const pattern of selection.unmatched) warn(`warning: --limit pattern "${pattern}" matches no host`);
  const issues = check ? await checkSecrets(inventory, selection.hosts) : [];
  if (issues.length > 0) throw new ConfigInvalidError(issues);
  return { inventory, hosts: selection.hosts };
}
