/**
 * EXEC commands other than `copy` and `configure`: show, dir, terminal, write, erase, reload
 * (device-reference.md §1, §3, §4). Each platform has its own grammar; handlers share the session.
 */
import {
  iosShowRunning,
  iosShowStartup,
  nxosShowRunning,
  nxosShowStartup,
  iosTime,
} from '../device/render.js';
import { showInventory } from '../device/hardware.js';
import type { CommandSpec } from './grammar.js';
import { ask, confirm, yesNo, type Session } from './context.js';
import { showVersion } from './show-version.js';
import { configureReplace } from './configure-replace.js';

/** Commands both platforms share (device-reference.md §1, §4). */
const common: readonly CommandSpec[] = [
  { pattern: 'exit', id: 'exit' },
  { pattern: 'terminal length <n>', id: 'terminal-length' },
  { pattern: 'terminal width <n>', id: 'terminal-width' },
  { pattern: 'terminal monitor', id: 'nothing' },
  { pattern: 'show version', id: 'show-version' },
  { pattern: 'show inventory', id: 'show-inventory' },
  { pattern: 'show clock', id: 'show-clock' },
  { pattern: 'show running-config', id: 'show-running' },
  { pattern: 'show startup-config', id: 'show-startup' },
  { pattern: 'show file systems', id: 'show-file-systems' },
  { pattern: 'dir', id: 'dir' },
  { pattern: 'dir <fs>', id: 'dir' },
  { pattern: 'copy <src> <dst>', id: 'copy' },
  { pattern: 'write erase', id: 'erase' },
  { pattern: 'reload', id: 'reload' },
  { pattern: 'configure terminal', id: 'configure' },
];

export const execSpecs: Record<'ios' | 'nxos', readonly CommandSpec[]> = {
  ios: [
    ...common,
    { pattern: 'enable', id: 'enable' },
    { pattern: 'disable', id: 'disable' },
    { pattern: 'logout', id: 'exit' },
    { pattern: 'quit', id: 'exit' },
    { pattern: 'show privilege', id: 'show-privilege' },
    { pattern: 'show running-config view full', id: 'show-running' },
    { pattern: 'more <file>', id: 'more' },
    { pattern: 'write', id: 'write-memory' },
    { pattern: 'write memory', id: 'write-memory' },
    { pattern: 'write terminal', id: 'show-running' },
    { pattern: 'erase startup-config', id: 'erase' },
    { pattern: 'erase nvram:', id: 'erase' },
    { pattern: 'configure replace <url>', id: 'configure-replace' },
    { pattern: 'configure replace <url> <options...>', id: 'configure-replace' },
  ],
  nxos: [...common, { pattern: 'copy <src> <dst> <rest...>', id: 'copy' }],
};

/** Commands a user EXEC (`>`) session may run. */
export const userLevel = new Set([
  'enable',
  'exit',
  'terminal-length',
  'terminal-width',
  'nothing',
  'show-version',
  'show-inventory',
  'show-clock',
  'show-privilege',
]);

export type Handler = (
  session: Session,
  args: readonly string[],
  output: (text: string) => Promise<void>,
) => Promise<void>;

const terminal =
  (key: 'length' | 'width'): Handler =>
  async (s, [n]) => {
    const value = Number(n);
    const refused = s.device.faults.refuseTerminal?.includes(key) ?? false;
    if (refused || !Number.isInteger(value) || value < 0 || value > 512) {
      await s.term.print(`                ^\n% Invalid input detected at '^' marker.\n\n`);
      return;
    }
    s.term[key] = value;
  };

export const execHandlers: Record<string, Handler> = {
  nothing: async () => {},
  exit: async (s) => {
    s.done = true;
  },
  disable: async (s) => {
    s.privilege = 1;
  },
  'terminal-length': terminal('length'),
  'terminal-width': terminal('width'),
  'show-version': async (s, _a, out) => out(showVersion(s.device)),
  'show-inventory': async (s, _a, out) => out(showInventory(s.device.platform, s.device.hardware.entities)),
  'show-clock': async (s, _a, out) => out(`*${iosTime(new Date()).replace(/ UTC (\w+) /, ' UTC $1 ')}\n`),
  'show-privilege': async (s, _a, out) => out(`Current privilege level is ${s.privilege}\n`),
  'show-running': async (s, _a, out) => {
    const d = s.device;
    if (d.platform === 'ios') return out(iosShowRunning(d.body()));
    const context = d.renderContext();
    // lastDoneHeader persona: the boot counts as the last time the running configuration was done.
    const booted = { at: new Date(Date.now() - d.uptimeMs), by: 'system' };
    const lastChange = context.lastChange ?? (d.faults.lastDoneHeader ? booted : undefined);
    return out(
      nxosShowRunning(
        d.body(),
        'show running-config',
        { ...context, ...(lastChange ? { lastChange } : {}) },
        new Date(),
      ),
    );
  },
  'show-startup': async (s, _a, out) => {
    const d = s.device;
    return out(d.platform === 'ios' ? iosShowStartup(d.startup) : nxosShowStartup(d.startup, new Date()));
  },
  'show-file-systems': async (s, _a, out) => out(fileSystems(s)),
  more: async (s, [file = ''], out) => {
    const d = s.device;
    const name = file.toLowerCase();
    if (name === 'system:running-config') return out(d.body());
    if (name === 'nvram:startup-config') return out(d.startup ?? '');
    const data = d.readFile(file);
    if (data) return out(data.toString('latin1'));
    await s.term.print(`%Error opening ${file} (No such file or directory)\n`);
  },
  dir: async (s, [fs], out) => out(dir(s, fs ?? s.device.flash)),
  'configure-replace': (s, args) => configureReplace(s, args),
  'write-memory': async (s) => {
    if (s.device.platform === 'ios') {
      await s.term.print('Building configuration...\n');
      s.device.saveStartup(s.user);
      await s.term.print('[OK]\n');
    }
  },
  erase: async (s) => {
    if (s.device.platform === 'ios') {
      if (
        !(await confirm(
          s,
          'Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]',
        ))
      )
        return;
      s.device.setStartup(undefined);
      await s.term.print('[OK]\nErase of nvram: complete\n');
      return;
    }
    if (
      !(await yesNo(
        s,
        'Warning: This command will erase the startup-configuration.\nDo you wish to proceed anyway? (y/n)  [n] ',
      ))
    )
      return;
    s.device.setStartup(undefined);
  },
  reload: async (s) => {
    const d = s.device;
    if (d.platform === 'ios') {
      if (d.modified) {
        for (;;) {
          const answer = (
            await ask(s, 'System configuration has been modified. Save? [yes/no]: ')
          ).toLowerCase();
          if ('yes'.startsWith(answer) && answer !== '') {
            await s.term.print('Building configuration...\n');
            d.saveStartup(s.user);
            await s.term.print('[OK]\n');
            break;
          }
          if ('no'.startsWith(answer) && answer !== '') break;
          await s.term.print("% Please answer 'yes' or 'no'.\n");
        }
      }
      if (!(await confirm(s, 'Proceed with reload? [confirm]'))) return;
    } else {
      if (d.modified) await s.term.print('!!!WARNING! there is unsaved configuration!!!\n');
      if (!(await yesNo(s, 'This command will reboot the system. (y/n)?  [n] '))) return;
    }
    s.device.record(s.via, s.user, '<reload confirmed>');
    s.done = true;
    d.reload(s.via);
  },
};

function fileSystems(s: Session): string {
  const rows =
    s.device.platform === 'ios'
      ? [
          '      Size(b)       Free(b)      Type  Flags  Prefixes',
          '*   256487424     198356992      disk     rw   flash0: flash:#',
          '       491512        473164     nvram     rw   nvram:',
          '            -             -   network     rw   tftp:',
          '            -             -    opaque     rw   system:',
        ]
      : [
          'File systems:',
          '      Size(b)       Free(b)      Type  Flags  Prefixes',
          '   1768157184    1021247488      disk     rw   bootflash:',
          '            -             -   network     rw   tftp:',
          '            -             -    opaque     rw   system:',
        ];
  return `\nFile Systems:\n\n${rows.join('\n')}\n\n`;
}

function dir(s: Session, fs: string): string {
  const d = s.device;
  const prefix = fs.toLowerCase().replace(/\/+$/, '');
  const files = [...d.files].filter(([name]) => name.startsWith(prefix));
  const date = 'Nov 23 2026 10:00:00 +00:00';
  if (d.platform === 'ios') {
    const rows = files.map(
      ([name, data], i) =>
        `${String(i + 1).padStart(5)}  -rw-${String(data.length).padStart(12)}  ${date}  ${name.slice(prefix.length)}`,
    );
    return `Directory of ${prefix}/\n\n${rows.join('\n')}${rows.length ? '\n' : 'No files in directory\n'}\n256487424 bytes total (198356992 bytes free)\n`;
  }
  const rows = files.map(
    ([name, data]) =>
      `${String(data.length).padStart(12)}    Nov 23 10:00:00 2026  ${name.slice(prefix.length)}`,
  );
  return `${rows.join('\n')}${rows.length ? '\n' : ''}\nUsage for ${prefix}//sup-local\n  746909696 bytes used\n 1021247488 bytes free\n 1768157184 bytes total\n`;
}
