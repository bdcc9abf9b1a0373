/** The `netops` command tree: every command and option (main.ts runs it, tests read it). */
import { Command } from 'commander';
import { commandCatalog, programDescription, programExamples } from './commands/index.js';
import { version } from './version.js';

/**
 * The program with every command registered, or with `only` that one (what `netops NAME ...` needs:
 * commander parses and helps the same; the other commands' modules are not loaded).
 */
export async function createProgram(only?: string): Promise<Command> {
  const program = new Command('netops')
    .description(programDescription)
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', programExamples);
  const entries = only === undefined ? Object.values(commandCatalog) : [commandCatalog[only]!];
  const modules = await Promise.all(entries.map((entry) => entry.load()));
  for (const { register } of modules) register(program);
  return program;
}
