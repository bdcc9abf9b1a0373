/**
 * docs/cli.md documents every command and flag the program registers, and nothing it does not:
 * the list is read from commander's own command tree (the one `netops --help` prints), so a new
 * command or flag fails this test until its line is written.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';

interface Documented {
  readonly path: string;
  readonly command: Command;
}

/** Every command that does something (has an action), as `netops a b`; groups like `lab` only hold others. */
function leafCommands(command: Command, prefix = 'netops'): Documented[] {
  return command.commands.flatMap((sub) => {
    const path = `${prefix} ${sub.name()}`;
    const children = leafCommands(sub, path);
    return sub.commands.length > 0 ? children : [{ path, command: sub }];
  });
}

/** The `### netops ...` sections of cli.md, by heading. */
function sections(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  const parts = markdown.split(/^### /m).slice(1);
  for (const part of parts) {
    const [heading, ...body] = part.split('\n');
    if (heading!.startsWith('netops ')) found.set(heading!.trim(), body.join('\n').split(/^## /m)[0]!);
  }
  return found;
}

const flagsOf = (command: Command) =>
  command.options
    .filter((o) => o.long !== '--help')
    .flatMap((o) => [o.short, o.long].filter(Boolean) as string[]);

describe('docs/cli.md', async () => {
  const markdown = await readFile('docs/cli.md', 'utf8');
  const documented = sections(markdown);
  const commands = leafCommands(await createProgram()).filter((c) => c.command.name() !== 'help');

  it('has a section for every command the program registers', () => {
    const missing = commands.map((c) => c.path).filter((p) => !documented.has(p));
    expect(missing, 'commands without a `### netops ...` section in docs/cli.md').toEqual([]);
    expect(commands.length).toBeGreaterThanOrEqual(14);
  });

  it('documents no command the program does not have', () => {
    const known = new Set(commands.map((c) => c.path));
    expect([...documented.keys()].filter((p) => !known.has(p))).toEqual([]);
  });

  it.each(commands.map((c) => [c.path, c.command] as const))(
    '%s: every flag and argument in its section, and only those',
    (path, command) => {
      const section = documented.get(path) ?? '';
      const flags = flagsOf(command);
      const missing = flags.filter((flag) => !new RegExp(`\`${flag}[\` ]`).test(section));
      expect(missing, `flags of ${path} missing from its section`).toEqual([]);
      for (const argument of command.registeredArguments) {
        expect(section, `argument ${argument.name()} of ${path}`).toContain(argument.name().toUpperCase());
      }
      // A flag in the section's table that the command does not take would send users astray.
      const tabled = [
        ...section.matchAll(/^\| `(-{1,2}[\w-]+)/gm),
        ...section.matchAll(/^\| `-\w`, `(--[\w-]+)/gm),
      ];
      const unknown = tabled.map((m) => m[1]!).filter((flag) => !flags.includes(flag));
      expect(unknown, `flags documented for ${path} that it does not take`).toEqual([]);
    },
  );

  it('lists every command in the synopsis at the top', () => {
    const synopsis = markdown.split('```')[1]!;
    for (const { path } of commands) {
      const [, group] = path.split(' ');
      expect(synopsis, path).toContain(`netops ${group}`);
    }
  });

  it('documents the exit codes, LOCKED among them', () => {
    const exitCodes = markdown.split('## Exit codes')[1]!.split('\n## ')[0]!;
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |']) expect(exitCodes).toContain(code);
    expect(exitCodes).toMatch(/`LOCKED`.*\*\*exit 1\*\*/s);
  });
});
