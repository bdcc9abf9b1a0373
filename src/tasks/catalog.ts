/**
 * Every task a job can name, one line each, each module loaded on demand: loading a job (and
 * `netops run --plan`) loads only the tasks its steps name and those whose host data the inventory
 * is checked against, not the seven task definitions and their schemas (a plan of 1,000 hosts spent
 * about a tenth of its time loading tasks it never named). registry.ts loads them all, for what may
 * run any task.
 */
import type { AnyTask } from './task.js';

export interface TaskEntry {
  readonly load: () => Promise<AnyTask>;
  /**
   * Whether the task declares `hostData`: an inventory is checked against those schemas whatever
   * job it serves (test/tasks/catalog.test.ts holds this to each task's definition).
   */
  readonly hostData: boolean;
  /**
   * The tasks it runs inside its steps (`ctx.run`): a run loads them with it
   * (test/tasks/catalog.test.ts holds this to the task's code).
   */
  readonly runs?: readonly string[];
}

export const taskCatalog: Readonly<Record<string, TaskEntry>> = {
  reachable: { load: async () => (await import('./reachable.js')).reachable, hostData: false },
  backup: { load: async () => (await import('./backup.js')).backup, hostData: true },
  collect: { load: async () => (await import('./collect.js')).collect, hostData: false },
  command: { load: async () => (await import('./command.js')).command, hostData: false },
  config: { load: async () => (await import('./config.js')).config, hostData: true },
  'startup-config': {
    load: async () => (await import('./startup-config.js')).startupConfig,
    hostData: false,
    runs: ['backup'],
  },
  restore: {
    load: async () => (await import('./restore.js')).restore,
    hostData: false,
    runs: ['startup-config'],
  },
};

/** The catalog's tasks of these names, loaded (names it does not know are left out), in catalog order. */
export async function loadTasks(names: Iterable<string>): Promise<Record<string, AnyTask>> {
  const wanted = new Set(names);
  const entries = Object.entries(taskCatalog).filter(([name]) => wanted.has(name));
  const loaded = await Promise.all(entries.map(async ([name, entry]) => [name, await entry.load()] as const));
  return Object.fromEntries(loaded);
}

/**
 * What a run of these tasks may need: the tasks themselves and those they run inside their steps,
 * and theirs (a backup job loads the backup task only, not the seven definitions and their schemas).
 */
export function withSubtasks(names: Iterable<string>): Set<string> {
  const needed = new Set<string>();
  const add = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const inner of taskCatalog[name]?.runs ?? []) add(inner);
  };
  for (const name of names) add(name);
  return needed;
}

/** The tasks whose host data keys an inventory is checked against. */
export function hostDataTaskNames(): string[] {
  return Object.entries(taskCatalog)
    .filter(([, entry]) => entry.hostData)
    .map(([name]) => name);
}
