/** Every `netops` sub-command beyond run/inventory/schema, one line each. */
import type { Command } from 'commander';
import { register as addrExplain } from './addr-explain.js';
import { register as diff } from './diff.js';
import { register as grep } from './grep.js';
import { register as history } from './history.js';
import { register as lab } from './lab.js';
import { register as render } from './render.js';
import { register as report } from './report.js';
import { register as restore } from './restore.js';
import { register as status } from './status.js';
import { register as store } from './store.js';
import { register as tasks } from './tasks.js';
import { register as tftpServe } from './tftp-serve.js';
import { register as queue } from './queue.js';
import { register as worker } from './worker.js';

export type RegisterCommand = (program: Command) => void;

export const commands: readonly RegisterCommand[] = [
  tasks,
  tftpServe,
  addrExplain,
  lab,
  report,
  render,
  store,
  restore,
  status,
  history,
  diff,
  grep,
  worker,
  queue,
];
