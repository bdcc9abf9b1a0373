/** `netops tasks`: its flags and help; the listing is in actions/tasks.ts, loaded when it runs. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('tasks')
    .description('list the tasks a job step can name, with what each does and its parameters')
    .option('--json', 'print the tasks with their parameters as JSON Schema')
    .action(async (flags: { json?: boolean }) => (await import('../actions/tasks.js')).printTasks(flags));
}
