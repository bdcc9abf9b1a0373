/**
 * Every top-level `netops` command, one entry each: its line in `netops --help` (usage term and
 * description, in that order) and the module that registers it. `netops --help` prints from this
 * table alone and `netops NAME ...` loads commander with NAME's module only, so neither pays for the
 * other commands. test/cli/command-catalog.test.ts keeps the table equal to what the modules register.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export interface CatalogEntry {
  /** What `netops --help` shows in its Commands list: the name, `[options]` when it has some, its arguments. */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<{ readonly register: RegisterCommand }>;
}

export const programDescription =
  'network device automation: config backup, SNMP inventory, startup-config workflows';

export const programExamples = `
Examples:
  netops run jobs/nightly-backup.yaml --plan      show what would happen, contact nothing
  netops run jobs/nightly-backup.yaml --quiet     from cron: output only on failure
  netops inventory list --limit group:core --show-origin
  netops tasks                                    what a job step can do, with its parameters
  netops schema --out docs/schema

Commands, options and exit codes: docs/cli.md.`;

/** By command name, in the order of `netops --help`; one line each. */
export const commandCatalog: Readonly<Record<string, CatalogEntry>> = {
  run: {
    term: 'run [options] <job>',
    description: 'run a job file against its inventory',
    load: () => import('./run.js'),
  },
  inventory: {
    term: 'inventory',
    description: 'check, list and import inventory files',
    load: () => import('./inventory.js'),
  },
  schema: {
    term: 'schema [options]',
    description: 'write JSON Schemas for inventory files, job files and run records',
    load: () => import('./schema.js'),
  },
  tasks: {
    term: 'tasks [options]',
    description: 'list the tasks a job step can name, with what each does and its parameters',
    load: () => import('./tasks.js'),
  },
  tftp: { term: 'tftp', description: 'the TFTP server netops hosts', load: () => import('./tftp-serve.js') },
  addr: { term: 'addr', description: 'address helpers', load: () => import('./addr-explain.js') },
  lab: {
    term: 'lab',
    description:
      'simulated IOS and NX-OS devices: on 127.0.0.1 and ::1, one per network namespace or one per container (root)',
    load: () => import('./lab.js'),
  },
  report: {
    term: 'report',
    description: 'reports generated from the store',
    load: () => import('./report.js'),
  },
  render: {
    term: 'render [options] <job>',
    description: "print the config a job's startup-config step renders for each host (contacts nothing)",
    load: () => import('./render.js'),
  },
  store: { term: 'store', description: 'questions about the backup store', load: () => import('./store.js') },
  restore: {
    term: 'restore [options] <host>',
    description:
      "put a device back to a stored revision's config: shows the diff against its running-config, installs it with --yes",
    load: () => import('./restore.js'),
  },
  status: {
    term: 'status [options] [job]',
    description:
      'per host: last attempt, last good run, age, last error, backup method (with a job: every host of its inventory)',
    load: () => import('./status.js'),
  },
  history: {
    term: 'history [options] <host>',
    description: "when a host's stored config changed, and by which run (newest first)",
    load: () => import('./history.js'),
  },
  diff: {
    term: 'diff [options] [host] [rev1] [rev2]',
    description:
      "what changed in a host's stored config between two revisions, or in the network between two runs",
    load: () => import('./diff.js'),
  },
  grep: {
    term: 'grep [options] <pattern>',
    description: "which devices' current stored configs contain a line (sanitized text; exit 1 when none)",
    load: () => import('./grep.js'),
  },
  worker: {
    term: 'worker [options]',
    description: 'take hosts of queued runs (netops run --queue) from Redis and run their steps here',
    load: () => import('./worker.js'),
  },
  queue: {
    term: 'queue',
    description: 'the scale-out queue (Redis): workers, sites, queued runs',
    load: () => import('./queue.js'),
  },
};
