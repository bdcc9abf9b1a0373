#!/usr/bin/env node
/** The `netops` command: parses flags, hands over to a command, and turns errors into exit codes. */
import { version } from './version.js';

/** `netops --version` or `--help` alone (what wrappers, monitoring and people call most) needs no command tree. */
function alone(args: readonly string[], ...flags: readonly string[]): boolean {
  return args.length === 1 && flags.includes(args[0]!);
}

/** Commander's width for help: the terminal's, or 80 through a pipe. */
function helpWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns : 80;
}

/** `netops NAME ...` registers NAME only; anything else (no command, `help`, a typo) gets the whole tree. */
async function runProgram(command: string | undefined): Promise<void> {
  // Loaded here, not at the top: commander and the commands' flags cost more than the answers above.
  const [{ CommanderError }, { exitCodeFor, exitCodes, formatError }, { createProgram }, { commandCatalog }] =
    await Promise.all([
      import('commander'),
      import('./exit.js'),
      import('./program.js'),
      import('./commands/index.js'),
    ]);
  const only = command !== undefined && Object.hasOwn(commandCatalog, command) ? command : undefined;
  try {
    await (await createProgram(only)).parseAsync();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the problem (or the help/version text).
      process.exitCode = error.exitCode === 0 ? 0 : exitCodes.invalidInput;
    } else {
      process.stderr.write(`${formatError(error)}\n`);
      process.exitCode = exitCodeFor(error);
    }
  }
}

// A reader that closed its end early (`netops status --help | head -1`) wants no more output: later
// writes are dropped and the command ends as it would have (a run still stores and commits), where
// Node would die of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

/**
 * The command, to its end. A function, not top-level await: the CommonJS bundle of the CLI
 * (scripts/bundle.mjs) cannot hold that.
 */
async function main(args: readonly string[]): Promise<void> {
  if (alone(args, '--version', '-V')) process.stdout.write(`${version}\n`);
  else if (alone(args, '--help', '-h'))
    process.stdout.write(`${(await import('./top-help.js')).formatTopHelp(helpWidth())}\n`);
  else await runProgram(args[0]);
  // Sockets a hanging device left open must not keep a finished run alive; but what was printed to a
  // pipe (`--json | jq`) is written asynchronously and must reach it first.
  const flushed = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(process.exitCode ?? 0);
}

void main(process.argv.slice(2));
