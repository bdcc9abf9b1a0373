/** `netops run JOB`: its flags and help; what it does is in actions/run.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { RunFlags } from '../actions/run-flags.js';
import { collect, positiveInt, positiveIntOrAuto } from '../options.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run a job file against its inventory')
    .argument('<job>', 'job file (YAML)')
    .option('-i, --inventory <file>', "inventory file instead of the job's (repeatable)", collect)
    .option(
      '-l, --limit <pattern>',
      'hosts to run on: NAME, glob, group:NAME, platform:NAME, !EXCLUDE (repeatable, comma lists)',
      collect,
    )
    .option('-c, --concurrency <n>', "hosts in parallel (default: the job's)", positiveInt)
    .option(
      '--threads <n>',
      "worker threads for the hosts' sessions: a number (1: one thread) or auto (default: the job's threads, else auto)",
      positiveIntOrAuto,
    )
    .option('--plan', 'print every step per host with its parameters; contacts nothing')
    .option('-y, --yes', 'allow destructive steps (erase, reload)')
    .option(
      '--trust-new-hosts',
      'pin the SSH host key of a device seen for the first time (a changed key is still refused)',
    )
    .option('--json', 'print the run record as JSON on stdout')
    .option('-q, --quiet', 'print only failures and a summary; nothing when all succeeded (for cron)')
    .option(
      '--accept-shrink <host>',
      "store this host's config even if it shrank by more than half (repeatable)",
      collect,
    )
    .option(
      '--records <dir>',
      "folder for run records (default: the job's `records`, else runs/ next to the job file)",
    )
    .option(
      '--retry-failed [run]',
      'run only the hosts that failed in that run of this job: a run id, or last (the default)',
    )
    .option(
      '--report <format-file...>',
      'also write the results as FORMAT FILE: junit (CI) or json (the run record); repeatable',
      collect,
    )
    .option(
      '--queue <url>',
      "run the hosts on workers through Redis: redis://HOST:PORT or rediss:// (default: the job's queue.url)",
    )
    .option('--resume <run>', 'finish a queued run from what Redis holds (with --queue): its run id')
    .option(
      '--site-timeout <seconds>',
      "fail a site's hosts after this long with no worker (default: queue.site_timeout, 30)",
      positiveInt,
    )
    .option('--queue-password-file <file>', 'Redis password from this file (default: NETOPS_QUEUE_PASSWORD)')
    .option('--queue-ca <file>', 'CA bundle (PEM) for a rediss:// server')
    .option('--queue-cert <file>', 'client certificate (PEM) for a rediss:// server that asks for one')
    .option('--queue-key <file>', "the client certificate's private key (PEM)")
    .addHelpText(
      'after',
      `
Examples:
  netops run jobs/nightly-backup.yaml
  netops run jobs/nightly-backup.yaml --limit 'group:core,!r9' --plan
  netops run jobs/reachable.yaml --quiet          # from cron: output only when something failed
  netops run jobs/nightly-backup.yaml --retry-failed          # again, only what failed last time
  netops run jobs/nightly-backup.yaml --report junit results.xml
  netops run jobs/nightly-backup.yaml --queue redis://10.0.0.5:6379     # hosts run on workers

Exit codes: 0 all ok, 1 some host failed (or is stale: alert_stale_after), 2 invalid input (nothing contacted), 3 aborted (Ctrl-C).`,
    )
    .action(async (file: string, flags: RunFlags) => {
      const { runCommand } = await import('../actions/run.js');
      process.exitCode = await runCommand(file, flags);
    });
}
