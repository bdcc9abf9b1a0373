/**
 * `netops --help` prints from the command catalog (src/cli/commands/index.ts) without loading
 * commander or any command: what it prints must be what commander prints for the whole command tree,
 * and each catalog entry must load the module that registers that very command.
 */
import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandCatalog } from '../../src/cli/commands/index.js';
import { createProgram } from '../../src/cli/program.js';
import { formatTopHelp } from '../../src/cli/top-help.js';
import { runNetops } from '../helpers/netops-cli.js';

/** What commander itself prints for `netops --help` with every command registered, `width` columns wide. */
async function commanderHelp(width: number): Promise<string> {
  const program = await createProgram();
  let text = '';
  program.configureOutput({ writeOut: (s) => (text += s), getOutHelpWidth: () => width });
  program.outputHelp();
  return text;
}

describe('the command catalog', () => {
  it('lists every command the program registers, in order, with its usage term and description', async () => {
    const program = await createProgram();
    const help = new Help();
    const registered = program.commands.map((c) => [c.name(), help.subcommandTerm(c), c.description()]);
    const listed = Object.entries(commandCatalog).map(([name, c]) => [name, c.term, c.description]);
    expect(listed).toEqual(registered);
  });

  it.each(Object.keys(commandCatalog))(
    'entry %s loads the module that registers that command',
    async (name) => {
      const program = new Command('netops');
      (await commandCatalog[name]!.load()).register(program);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
    },
  );

  it.each([80, 120, 60, 40])(
    'netops --help at %i columns is what commander prints for the whole tree',
    async (width) => {
      expect(`${formatTopHelp(width)}\n`).toBe(await commanderHelp(width));
    },
  );

  it('the built netops --help prints the same as netops help, which commander answers', async () => {
    const [fast, full] = await Promise.all([runNetops(['--help']), runNetops(['help'])]);
    expect(fast.code).toBe(0);
    expect(full.code).toBe(0);
    expect(fast.stdout).toContain('Commands:\n  run [options] <job>');
    expect(fast.stdout).toBe(full.stdout);
  });
});
