/** Every task a job can name, one line each. */
import type { AnyTask } from './task.js';
import { reachable } from './reachable.js';
import { collect } from './collect.js';

export const tasks: Readonly<Record<string, AnyTask>> = {
  reachable,
  collect,
};
