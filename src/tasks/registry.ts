/** Every task a job can name, loaded: what may run any task (the runner, `netops tasks`, the schema export). */
import { loadTasks, taskCatalog } from './catalog.js';
import type { AnyTask } from './task.js';

export const tasks: Readonly<Record<string, AnyTask>> = await loadTasks(Object.keys(taskCatalog));
