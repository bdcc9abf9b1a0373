/**
 * Renders the configuration tree the way each platform prints it (device-reference.md §1.4, §4.2):
 * IOS with `Building configuration...`, the byte count, `!` separators, one-space indent and `end`;
 * NX-OS with `!Command:`/`!Time:` comments, two-space indent and no `end`.
 */
import type { ConfigTree } from './config-tree.js';
import type { Platform } from './model.js';

export interface RenderContext {
  readonly platform: Platform;
  readonly version: string;
  readonly lastChange?: { readonly at: Date; readonly by: string };
  readonly lastSaved?: { readonly at: Date; readonly by: string };
  /** Volatile `ntp clock-period`, fixed per boot (IOS). */
  readonly clockPeriod?: number;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `11:54:34 UTC Thu Aug 29 2024` (IOS). */
export function iosTime(at: Date): string {
  const time = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
  return `${time} UTC ${days[at.getUTCDay()]} ${months[at.getUTCMonth()]} ${at.getUTCDate()} ${at.getUTCFullYear()}`;
}

/** `Mon Dec  1 14:37:04 2025` (NX-OS, C asctime style). */
export function nxosTime(at: Date): string {
  const time = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
  const day = String(at.getUTCDate()).padStart(2, ' ');
  return `${days[at.getUTCDay()]} ${months[at.getUTCMonth()]} ${day} ${time} ${at.getUTCFullYear()}`;
}

/** The IOS configuration body, from the first `!` to `end` (what NVRAM and a TFTP upload hold). */
export function iosBody(tree: ConfigTree, context: RenderContext): string {
  const lines: string[] = ['!'];
  if (context.lastChange)
    lines.push(
      `! Last configuration change at ${iosTime(context.lastChange.at)} by ${context.lastChange.by}`,
    );
  else lines.push('! No configuration change since last restart');
  if (context.lastSaved)
    lines.push(`! NVRAM config last updated at ${iosTime(context.lastSaved.at)} by ${context.lastSaved.by}`);
  lines.push('!', `version ${context.version.replace(/^(\d+\.\d+).*/, '$1')}`);
  let previousHadChildren = false;
  let clockPeriod = context.clockPeriod;
  for (const section of tree) {
    const hasChildren = section.children.length > 0;
    if (hasChildren || previousHadChildren) lines.push('!');
    // IOS prints the clock period first among its ntp lines.
    if (clockPeriod !== undefined && section.line.startsWith('ntp ')) {
      lines.push(`ntp clock-period ${clockPeriod}`);
      clockPeriod = undefined;
    }
    lines.push(section.line, ...section.children.map((c) => ` ${c}`));
    if (section.line.startsWith('hostname ')) lines.push('boot-start-marker', 'boot-end-marker');
    previousHadChildren = hasChildren;
  }
  if (clockPeriod !== undefined) lines.push('!', `ntp clock-period ${clockPeriod}`);
  lines.push('!', 'end', '');
  return lines.join('\n');
}

/** `show running-config` on IOS, LF line endings (the terminal layer sends CRLF). */
export function iosShowRunning(body: string): string {
  return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(body)} bytes\n${body}`;
}

export function iosShowStartup(body: string | undefined): string {
  if (body === undefined) return 'startup-config is not present\n';
  return `Using ${Buffer.byteLength(body)} out of 491512 bytes\n${body}`;
}

/** The NX-OS configuration body (no comments), as stored in startup-config and merged on boot. */
export function nxosBody(tree: ConfigTree, context: RenderContext): string {
  const lines: string[] = [`version ${context.version}`];
  for (const section of tree) {
    if (section.children.length > 0) lines.push('');
    lines.push(section.line, ...section.children.map((c) => `  ${c}`));
  }
  lines.push('');
  return lines.join('\n');
}

/** `show running-config` on NX-OS: the comment header (with the volatile `!Time:`) and the body. */
export function nxosShowRunning(body: string, command: string, context: RenderContext, now: Date): string {
  const done = context.lastChange
    ? `!Running configuration last done at: ${nxosTime(context.lastChange.at)}\n`
    : '';
  return `\n!Command: ${command}\n${done}!Time: ${nxosTime(now)}\n\n${body}`;
}

export function nxosShowStartup(body: string | undefined, now: Date): string {
  if (body === undefined) return '';
  return `\n!Command: show startup-config\n!Time: ${nxosTime(now)}\n!Startup config saved at: ${nxosTime(now)}\n\n${body}`;
}
