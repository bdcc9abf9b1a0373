/** Every task a job can name, one line each. */
import type { AnyTask } from './task.js';
import { backup } from './backup.js';
import { reachable } from './reachable.js';
import { collect } from './collect.js';
import { command } from './command.js';
import { config } from './config.js';
import { startupConfig } from './startup-config.js';
import { restore } from './restore.js';

export const tasks: Readonly<Record<string, AnyTask>> = {
  reachable,
  backup,
  collect,
  command,
  config,
  'startup-config': startupConfig,
  restore,
};
