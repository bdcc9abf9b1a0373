/** The prompt of a session's mode (device-reference.md §1.2, §4.1), and the prompt faults. */
import type { Session } from './context.js';

let promptTurn = 0;

export function promptOf(s: Session): string {
  const d = s.device;
  let host = d.hostname;
  if (d.faults.wrongPrompt) host = `${host}-stby`;
  if (d.faults.changingPrompt) host = `${host}-${promptTurn++ % 3}`;
  // NX-OS prints a space after `#`; IOS prints none.
  const space = d.platform === 'nxos' ? ' ' : '';
  if (s.mode.kind === 'config') return `${host}(config)#${space}`;
  if (s.mode.kind === 'sub') return `${host}(${s.mode.name})#${space}`;
  return `${host}${s.privilege >= 15 ? '#' : '>'}${space}`;
}

/** The prompt as printed: NX-OS `terminal color persist` (ansiPrompt persona) colours it, then a space. */
export function shownPrompt(s: Session): string {
  const prompt = promptOf(s);
  return s.device.faults.ansiPrompt ? `\x1b[1;32m${prompt.trimEnd()}\x1b[0m ` : prompt;
}

/** The exec banner persona: prompt-like text and a pager-like line, split where a client could trip. */
export function bannerPieces(hostname: string): string[] {
  const rule = '*'.repeat(66);
  return [
    `\n${rule}\n${hostname}#`,
    ` is the prompt of a production router: every command is logged.\nOutput longer than a screen stops at --More--`,
    `\n${rule}\n\n`,
  ];
}
