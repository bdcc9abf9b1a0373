/**
 * IOS `configure replace URL [force] [ignorecase] [nolock] [revert trigger error]`
 * (device-reference.md §2.5, whose wording is marked unverified; the dialog and messages here follow
 * Cisco's "Configuration Replace and Configuration Rollback" guide and public transcripts: the
 * confirmation and passes in Cisco's examples, "Rollback aborted after 5 passes" in Ansible's
 * cli_restore documentation, the revert messages in cloudshell-networking-cisco's tests): the
 * running config becomes the file, a complete config ending in `end`.
 * Without `force` the device asks first. A line the device refuses fails the replace: with
 * `revert trigger error` it restores the running config it had ("Reverting back to the original
 * configuration"); without, it gives up after its passes ("Rollback aborted after 5 passes") with
 * the other lines applied. Physical interfaces cannot be removed: left out of the file, they stay,
 * unconfigured.
 */
import { cloneTree, parseText, type ConfigTree } from '../device/config-tree.js';
import { DeviceTftpError, deviceDownload, parseTftpUrl } from '../device/device-tftp.js';
import { refusedAt } from './config-mode.js';
import { ask, type Session } from './context.js';
import { promptOf } from './prompt.js';

export const replaceWarning =
  'This will apply all necessary additions and deletions\nto replace the current running configuration with the\ncontents of the specified configuration file, which is\nassumed to be a complete configuration, not a partial\nconfiguration. Enter Y if you are sure you want to proceed. ? [no]: ';

/** Options after the URL, in any order; `revert trigger` takes `error`. */
const optionWords = ['force', 'ignorecase', 'nolock', 'revert', 'trigger', 'error'];

/** Interfaces the device has in hardware: a replace cannot delete them. */
const physical = /^interface (GigabitEthernet|FastEthernet|Ethernet|TenGigabitEthernet|Serial)\S*$/i;

export async function configureReplace(s: Session, [url = '', rest = '']: readonly string[]): Promise<void> {
  const options = rest.split(/\s+/).filter(Boolean);
  const bad = options.find((o) => !optionWords.includes(o.toLowerCase()));
  const revert = /\brevert trigger error\b/i.test(rest);
  if (bad !== undefined || (/\brevert\b/i.test(rest) && !revert)) {
    const at = `configure replace ${url} ${rest}`.indexOf(bad ?? 'revert');
    await s.term.print(
      `${' '.repeat(at + promptOf(s).length)}^\n% Invalid input detected at '^' marker.\n\n`,
    );
    return;
  }
  if (!options.some((o) => o.toLowerCase() === 'force')) {
    if (!/^y(es)?$/i.test(await ask(s, replaceWarning))) return;
  }
  const text = await load(s, url);
  if (text === undefined) return;
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  if (lines.findLast((l) => l.trim() !== '') !== 'end') {
    await s.term.print('%The input file is not a valid config file.\n');
    return;
  }
  const refused = lines.filter(
    (l) => l !== '' && !/^\s/.test(l) && !/^!/.test(l) && refusedAt(l, 'ios') !== undefined,
  );
  const d = s.device;
  if (refused.length === 0) {
    install(d.running, parseText(text));
    d.configured(s.user);
    await s.term.print('Total number of passes: 1\nRollback Done\n\n');
    return;
  }
  if (revert) {
    const kept = `flash:${d.hostname}-cfg-replace-0`;
    await s.term.print(
      `${refused.map((l) => `Failed to apply command ${l}\n`).join('')}Aborting Rollback.\nRollback failed.Reverting back to the original configuration: ${kept}\nTotal number of passes: 1\nRollback Done\n\n`,
    );
    return;
  }
  // Without a revert trigger IOS keeps retrying the lines it cannot apply, then stops with the rest applied.
  const accepted = lines.filter((l) => !refused.includes(l)).join('\n');
  install(d.running, parseText(accepted));
  d.configured(s.user);
  const list = refused.join('\n');
  await s.term.print(
    `The rollback configlet from the last pass is listed below:\n********\n!List of Rollback Commands:\n${list}\nend\n********\n\n\nRollback aborted after 5 passes\nThe following commands are failed to apply to the IOS image.\n********\n${list}\n********\n`,
  );
}

/** Reads the file the URL names: from a TFTP server (printing as `copy` does) or the device's flash. */
async function load(s: Session, url: string): Promise<string | undefined> {
  const d = s.device;
  const target = parseTftpUrl(url);
  if (target) {
    try {
      const data = await deviceDownload(d, target);
      await s.term.print(
        `Loading ${target.filename} from ${target.server} (via GigabitEthernet0/0): !\n[OK - ${data.length} bytes]\n`,
      );
      return data.toString('latin1');
    } catch (error) {
      await s.term.print(
        `%Error opening ${url} (${error instanceof DeviceTftpError ? error.reason : 'Undefined error'})\n`,
      );
      return undefined;
    }
  }
  const data = /^[a-z0-9]+:/i.test(url) ? d.readFile(url) : undefined;
  if (!data) {
    await s.term.print(`%Error opening ${url} (No such file or directory)\n`);
    return undefined;
  }
  return data.toString('latin1');
}

/** The running config becomes `next`; physical interfaces missing from it stay, without their lines. */
function install(running: ConfigTree, next: ConfigTree): void {
  const kept = cloneTree(running)
    .filter((section) => physical.test(section.line) && !next.some((n) => n.line === section.line))
    .map((section) => ({ line: section.line, children: ['no ip address'] }));
  running.splice(0, running.length, ...kept, ...next);
}
