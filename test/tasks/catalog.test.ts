/**
 * The task catalog loads each task on demand (a job loads the tasks it names): each entry must load
 * the task of its name, say truly whether the task reads host data (the inventory is checked against
 * those schemas whatever the job runs), name every task it runs inside its steps (a run loads only
 * those with the job's own), and the registry must hold every catalog task.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hostDataTaskNames, loadTasks, taskCatalog, withSubtasks } from '../../src/tasks/catalog.js';
import { tasks } from '../../src/tasks/registry.js';

describe('the task catalog', () => {
  it.each(Object.keys(taskCatalog))('entry %s loads the task of that name', async (name) => {
    const task = await taskCatalog[name]!.load();
    expect(task.name).toBe(name);
    expect(taskCatalog[name]!.hostData).toBe(task.hostData !== undefined);
  });

  it('the registry holds every catalog task, in catalog order, the same objects', async () => {
    expect(Object.keys(tasks)).toEqual(Object.keys(taskCatalog));
    for (const [name, entry] of Object.entries(taskCatalog)) expect(tasks[name]).toBe(await entry.load());
  });

  it('loads only the tasks asked for, in catalog order, and skips unknown names', async () => {
    const loaded = await loadTasks(['collect', 'no-such-task', 'backup']);
    expect(Object.keys(loaded)).toEqual(['backup', 'collect']);
  });

  it('names the tasks whose host data keys the inventory checks', () => {
    expect(hostDataTaskNames()).toEqual(
      Object.values(tasks)
        .filter((task) => task.hostData)
        .map((task) => task.name),
    );
  });

  it.each(Object.keys(taskCatalog))('entry %s names every task its code runs with ctx.run', async (name) => {
    // A task's code is src/tasks/NAME.ts and the files of src/tasks/NAME/.
    const dir = new URL(`../../src/tasks/${name}/`, import.meta.url);
    const inner = await readdir(dir).catch(() => []);
    const files = [
      new URL(`../../src/tasks/${name}.ts`, import.meta.url),
      ...inner.map((f) => new URL(f, dir)),
    ];
    const sources = await Promise.all(files.map((file) => readFile(file, 'utf8')));
    const called = sources.flatMap((text) =>
      [...text.matchAll(/\bctx\.run\(\s*'([^']+)'/g)].map((m) => m[1]!),
    );
    expect([...new Set(called)].sort()).toEqual([...(taskCatalog[name]!.runs ?? [])].sort());
  });

  it('a run of a task loads the tasks it runs and theirs, and no other', () => {
    expect([...withSubtasks(['backup'])]).toEqual(['backup']);
    expect([...withSubtasks(['restore', 'reachable'])].sort()).toEqual([
      'backup',
      'reachable',
      'restore',
      'startup-config',
    ]);
  });
});
