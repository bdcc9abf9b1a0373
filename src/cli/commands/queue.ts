/** `netops queue status`: its flags and help; the figures come from queue/status.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { QueueStatusFlags } from '../actions/queue-status.js';

export function register(program: Command): void {
  const queue = program
    .command('queue')
    .description('the scale-out queue (Redis): workers, sites, queued runs');
  queue
    .command('status')
    .description('workers and their sites, hosts waiting/in progress/failed per site, hosts done per run')
    .requiredOption('--queue <url>', 'the Redis server: redis://HOST:PORT or rediss://HOST:PORT (TLS)')
    .option('--json', 'print the status as JSON')
    .option('--queue-password-file <file>', 'Redis password from this file (default: NETOPS_QUEUE_PASSWORD)')
    .option('--queue-ca <file>', 'CA bundle (PEM) for a rediss:// server')
    .option('--queue-cert <file>', 'client certificate (PEM) for a rediss:// server that asks for one')
    .option('--queue-key <file>', "the client certificate's private key (PEM)")
    .addHelpText(
      'after',
      `
Examples:
  netops queue status --queue redis://10.0.0.5:6379
  netops queue status --queue redis://10.0.0.5:6379 --json

Exit codes: 0 shown, 1 Redis unreachable (QUEUE_UNREACHABLE), 2 invalid input.`,
    )
    .action(async (flags: QueueStatusFlags) => {
      const { queueStatusCommand } = await import('../actions/queue-status.js');
      process.exitCode = await queueStatusCommand(flags);
    });
}
