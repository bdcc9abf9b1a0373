/** `netops worker`: its flags and help; the worker itself is queue/worker.ts, started by actions/worker.ts. */
import type { Command } from 'commander';
import type { WorkerFlags } from '../actions/worker.js';
import { collect, positiveInt } from '../options.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description('take hosts of queued runs (netops run --queue) from Redis and run their steps here')
    .requiredOption('--queue <url>', 'the Redis server: redis://HOST:PORT or rediss://HOST:PORT (TLS)')
    .option('--name <name>', "this worker's name in `netops queue status` (default: MACHINE-PID)")
    .option('--site <site>', "take the hosts of this site (the inventory's `site:`)", 'default')
    .option('--concurrency <n>', 'hosts worked on at once', positiveInt, 20)
    .option(
      '--tftp-listen <addr>',
      "this worker's TFTP server: ADDR, ADDR:PORT, [V6]:PORT (repeatable; default: the job's)",
      collect,
    )
    .option(
      '--tftp-advertise <addr>',
      'the address devices upload to, one per family (default: the listen address)',
      collect,
    )
    .option(
      '--placeholder-key <file>',
      "a copy of the store's placeholder key (default: this machine's, for the job's store)",
    )
    .option(
      '--stalled-ms <ms>',
      "how long a dead worker's hosts stay locked before another worker takes them",
      positiveInt,
      30_000,
    )
    .option('--queue-password-file <file>', 'Redis password from this file (default: NETOPS_QUEUE_PASSWORD)')
    .option('--queue-ca <file>', 'CA bundle (PEM) for a rediss:// server')
    .option('--queue-cert <file>', 'client certificate (PEM) for a rediss:// server that asks for one')
    .option('--queue-key <file>', "the client certificate's private key (PEM)")
    .addHelpText(
      'after',
      `
Secrets: the worker resolves the inventory's secret references ({ env: NAME }, { file: PATH }) from
its own environment and files; nothing secret travels through Redis.

Examples:
  netops worker --queue redis://10.0.0.5:6379 --site branch-a --tftp-listen 10.20.0.5
  NETOPS_QUEUE_PASSWORD=... netops worker --queue rediss://redis.example.net:6380 --concurrency 50

Stops on SIGTERM or Ctrl-C after finishing the hosts in progress (a second signal aborts them).`,
    )
    .action(async (flags: WorkerFlags) => {
      const { workerCommand } = await import('../actions/worker.js');
      process.exitCode = await workerCommand(flags);
    });
}
