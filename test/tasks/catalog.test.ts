/**
 * The task catalog loads each task on demand (a job loads the tasks it names): each entry must load
 * the task of its name, say truly whether the task reads host data (the inventory is checked against
 * those schemas whatever the job runs), and the registry must hold every catalog task.
 */
import { describe, expect, it } from 'vitest';
import { hostDataTaskNames, loadTasks, taskCatalog } from '../../src/tasks/catalog.js';
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
});
