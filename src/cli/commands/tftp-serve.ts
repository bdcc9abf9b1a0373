/** `netops tftp serve`: its flags and help; the server runs from actions/tftp-serve.ts, loaded when it starts. */
import type { Command } from 'commander';
import type { TftpServeFlags } from '../actions/tftp-serve.js';
import { collect, positiveInt } from '../options.js';

export function register(program: Command): void {
  const tftp = program.command('tftp').description('the TFTP server netops hosts');
  tftp
    .command('serve')
    .description('run a standalone TFTP server for files under --root until Ctrl-C')
    .requiredOption('--root <dir>', 'folder served and written to')
    .option(
      '--listen <addr[:port]>',
      'ADDR, ADDR:PORT or [V6]:PORT (repeatable; default [::]:69, dual-stack)',
      collect,
    )
    .option('--allow <cidr>', 'only these source prefixes may use the server (repeatable)', collect)
    .option('--overwrite', 'let uploads replace existing files')
    .option('--max-file-bytes <n>', 'largest file in either direction (default 64 MiB)', positiveInt)
    .option('--max-transfers <n>', 'transfers at once (default 1024)', positiveInt)
    .option('--json-log <file>', 'also append one JSON object per event to FILE')
    .addHelpText(
      'after',
      `\nExamples:\n  netops tftp serve --root /srv/tftp\n  netops tftp serve --root ./configs --listen 192.0.2.10 --listen [2001:db8::10]:69 --allow 192.0.2.0/24`,
    )
    .action(async (flags: TftpServeFlags) => (await import('../actions/tftp-serve.js')).serveTftp(flags));
}
