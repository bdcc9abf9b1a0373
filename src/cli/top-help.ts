/**
 * `netops --help` without commander or any command module: the command catalog laid out as commander
 * lays out the full program's help (test/cli/command-catalog.test.ts compares the two at several
 * widths). Start-up is what this saves: commander and the command modules cost more than node itself.
 */
import { commandCatalog, programDescription, programExamples } from './commands/index.js';

/** Commander's own lines: its version and help options, and its `help` command. */
const options: readonly (readonly [string, string])[] = [
  ['-V, --version', 'output the version number'],
  ['-h, --help', 'display help for command'],
];
const helpCommand: readonly [string, string] = ['help [command]', 'display help for command'];

/** Below this many columns for a description, commander does not wrap it. */
const minWidthToWrap = 40;

/** The text `netops --help` prints, for a terminal `width` columns wide (80 when not a terminal). */
export function formatTopHelp(width = 80): string {
  const commands = [
    ...Object.values(commandCatalog).map((c): readonly [string, string] => [c.term, c.description]),
    helpCommand,
  ];
  const termWidth = Math.max(...[...options, ...commands].map(([term]) => term.length));
  const item = ([term, description]: readonly [string, string]) => {
    const remaining = width - termWidth - 4;
    const text =
      remaining < minWidthToWrap
        ? description
        : wrap(description, remaining).replace(/\n/g, `\n${' '.repeat(termWidth + 4)}`);
    return `  ${term.padEnd(termWidth)}  ${text}`;
  };
  return [
    'Usage: netops [options] [command]',
    '',
    wrap(programDescription, width),
    '',
    'Options:',
    ...options.map(item),
    '',
    'Commands:',
    ...commands.map(item),
    programExamples,
  ].join('\n');
}

/** Words filled into lines of at most `width` columns (a longer word stays whole on its own line). */
function wrap(text: string, width: number): string {
  if (width < minWidthToWrap) return text;
  const lines: string[] = [];
  let line = '';
  for (const chunk of text.match(/\s*\S+/g) ?? []) {
    if (line !== '' && line.length + chunk.length > width) {
      lines.push(line);
      line = chunk.trimStart();
    } else line += line === '' ? chunk.trimStart() : chunk;
  }
  lines.push(line);
  return lines.join('\n');
}
