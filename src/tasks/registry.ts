/**
 * Every task a job can name, loaded: what may run any task (the runner, `netops tasks`, the schema
 * export). Imported statically, in the catalog's order (test/tasks/catalog.test.ts): no top-level
 * await, which the CommonJS bundle of the CLI (scripts/bundle.mjs) cannot hold.
 */
import { backup } from './backup.js';
import { collect } from './collect.js';
import { command } from './command.js';
import { config } from './config.js';
import { reachable } from './reachable.js';
import { restore } from './restore.js';
import { startupConfig } from './startup-config.js';
import type { AnyTask } from './task.js';

export const tasks: Readonly<Record<string, AnyTask>> = {
  reachable,
  backup,
  collect,
  command,
  config,
  'startup-config': startupConfig,
  restore,
};
