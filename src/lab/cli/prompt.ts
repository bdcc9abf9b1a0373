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
