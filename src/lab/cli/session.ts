/**
 * The CLI loop of one session: prompt, read a line, run it, in the modes of device-reference.md
 * §1.2 / §4.1 (`>`, `#`, `(config)#`, `(config-if)#`), with error markers, output filters
 * (`| include`), the pager and the command log.
 */
import { configLine } from './config-mode.js';
import { QuestionAborted, type Session } from './context.js';
import { bannerPieces, promptOf, shownPrompt } from './prompt.js';
import { copyCommand } from './copy.js';
import { execHandlers, execSpecs, userLevel } from './exec-commands.js';
import { buildGrammar, matchCommand } from './grammar.js';
import { secretMatches } from '../device/secrets.js';
import { enableSecretOf } from '../device/config-tree.js';

const grammars = { ios: buildGrammar(execSpecs.ios), nxos: buildGrammar(execSpecs.nxos) };
/** What a privilege-1 user may type: other commands are invalid at the word that makes them so. */
const userGrammar = buildGrammar(execSpecs.ios.filter((spec) => userLevel.has(spec.id)));

/** `| include X`, `| exclude X`, `| begin X` on any show command. */
function applyFilter(text: string, filter: string | undefined): string {
  if (!filter) return text;
  const m = /^(i\w*|e\w*|b\w*|s\w*)\s+(.*)$/.exec(filter.trim());
  if (!m) return text;
  const pattern = new RegExp(m[2] as string);
  const lines = text.split('\n');
  const verb = (m[1] as string)[0];
  if (verb === 'i') return lines.filter((l) => pattern.test(l)).join('\n') + '\n';
  if (verb === 'e') return lines.filter((l) => !pattern.test(l)).join('\n');
  const start = lines.findIndex((l) => pattern.test(l));
  return start < 0 ? '' : lines.slice(start).join('\n');
}

async function enable(s: Session): Promise<void> {
  const secret = enableSecretOf(s.device.running);
  if (!secret) {
    s.privilege = 15;
    return;
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    await s.term.print('Password: ');
    const typed = await s.term.readLine({ echo: false });
    if (secretMatches(secret.type, secret.value, typed)) {
      s.privilege = 15;
      return;
    }
    if (attempt < 2) await s.term.print('% Access denied\n\n');
  }
  await s.term.print('% Bad secrets\n\n');
}

/**
 * The caret sits under the first bad character of the echoed line, so it is offset by the prompt
 * (device-reference.md §1.8 shows the command repeated; RANCID's parser needs the real layout).
 */
async function invalidExec(s: Session, line: string, column: number, first: boolean): Promise<void> {
  const d = s.device;
  if (d.platform === 'ios' && first && !line.trim().includes(' ')) {
    await s.term.print(
      `Translating "${line.trim()}"...domain server (255.255.255.255)\n% Unknown command or computer name, or unable to find computer address\n`,
    );
    return;
  }
  const marker =
    d.platform === 'ios' ? "% Invalid input detected at '^' marker.\n" : "% Invalid command at '^' marker.\n";
  await s.term.print(
    `${' '.repeat(column + promptOf(s).length)}^\n${marker}${d.platform === 'ios' ? '\n' : ''}`,
  );
}

/** Fault `hangAfterLogin`: input is read and ignored until the client gives up (the read then throws). */
async function hangIfFaulted(s: Session): Promise<void> {
  while (s.device.faults.hangAfterLogin) await s.term.readKey();
}

/** Runs one EXEC line (also used by SSH exec channels, where there is no prompt). */
export async function runExec(s: Session, typed: string): Promise<void> {
  await hangIfFaulted(s);
  const [command = '', filter] = typed.split('|');
  const line = command.replace(/\s+$/, '');
  if (line.trim() === '') return;
  s.device.record(s.via, s.user, typed);
  const grammar = s.privilege < 15 ? userGrammar : grammars[s.device.platform];
  const match = matchCommand(grammar, line);
  const d = s.device;
  if (match.kind === 'empty') return;
  if (match.kind === 'ambiguous')
    return s.term.print(
      d.platform === 'ios'
        ? `% Ambiguous command:  "${line.trim()}"\n`
        : "% Ambiguous command at '^' marker.\n",
    );
  if (match.kind === 'incomplete')
    return s.term.print(
      d.platform === 'ios' ? '% Incomplete command.\n\n' : "% Incomplete command at '^' marker.\n",
    );
  if (match.kind === 'invalid') return invalidExec(s, line, match.column, match.first);
  if (match.id === 'enable') return enable(s);
  if (match.id === 'configure') {
    s.mode = { kind: 'config' };
    if (d.platform === 'ios')
      await s.term.print('Enter configuration commands, one per line.  End with CNTL/Z.\n');
    return;
  }
  try {
    if (match.id === 'copy') return await copyCommand(s, match.args);
    const handler = execHandlers[match.id];
    await handler?.(s, match.args, (text) => s.term.page(applyFilter(text, filter)));
  } catch (error) {
    if (!(error instanceof QuestionAborted)) throw error;
  }
}

/** Reads and runs lines until the user leaves or the session ends (SessionEnded propagates). */
export async function runCli(s: Session): Promise<void> {
  if (s.device.faults.banner) for (const piece of bannerPieces(s.device.hostname)) await s.term.print(piece);
  while (!s.done) {
    await hangIfFaulted(s);
    await s.term.print(shownPrompt(s));
    const line = await s.term.readLine();
    if (s.mode.kind === 'exec') {
      if (line === '\x1a' || line === '\x03') continue;
      await runExec(s, line);
      continue;
    }
    s.device.record(s.via, s.user, line);
    if (line === '\x03') continue;
    if (/^do\s+/i.test(line.trim())) {
      await runExec(s, line.trim().replace(/^do\s+/i, ''));
      continue;
    }
    const leaving = line === '\x1a' || /^end$/i.test(line.trim());
    await configLine(s, line);
    if (leaving && s.via === 'console' && s.device.platform === 'ios')
      await s.term.print(
        `\n*${new Date().toUTCString().slice(5, 25)}: %SYS-5-CONFIG_I: Configured from console by ${s.user} on console\n`,
      );
  }
}
