#!/usr/bin/env node
/** The `netops` command: parses flags, hands over to a command, and turns errors into exit codes. */
import { version } from './version.js';

/** `netops --version` alone (what wrappers and monitoring call most) needs no command tree. */
function versionOnly(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}

async function runProgram(): Promise<void> {
  // Loaded here, not at the top: commander and every command's flags cost more than the answer above.
  const [{ CommanderError }, { exitCodeFor, exitCodes, formatError }, { createProgram }] = await Promise.all([
    import('commander'),
    import('./exit.js'),
    import('./program.js'),
  ]);
  try {
    await createProgram().parseAsync();
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

if (versionOnly(process.argv.slice(2))) process.stdout.write(`${version}\n`);
else await runProgram();
// Sockets a hanging device left open must not keep a finished run alive; but what was printed to a
// pipe (`--json | jq`) is written asynchronously and must reach it first.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(process.exitCode ?? 0);
