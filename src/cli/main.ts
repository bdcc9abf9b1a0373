#!/usr/bin/env node
/** The `netops` command: parses flags, hands over to a command, and turns errors into exit codes. */
import { CommanderError } from 'commander';
import { exitCodeFor, exitCodes, formatError } from './exit.js';
import { createProgram } from './program.js';

const program = createProgram();

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed the problem (or the help/version text).
    process.exitCode = error.exitCode === 0 ? 0 : exitCodes.invalidInput;
  } else {
    process.stderr.write(`${formatError(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
// Sockets a hanging device left open must not keep a finished run alive; but what was printed to a
// pipe (`--json | jq`) is written asynchronously and must reach it first.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(process.exitCode ?? 0);
