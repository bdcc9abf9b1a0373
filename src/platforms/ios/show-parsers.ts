/** IOS and IOS-XE `show version` and `show inventory` for collect's CLI fallback (device-reference.md §1.6, §1.7). */
import { matchSysDescr } from '../../snmp/sysdescr.js';
import type { CliFacts, ShowVersion } from '../cli-facts.js';
import { ciscoShowInventory } from '../cisco/show-inventory.js';
import { versionBasics } from '../cisco/show-version.js';
import { iosSysDescr } from './sysdescr.js';

/** IOS-XE prints its own line before the IOS banner; both stand in for sysDescr and read like it. */
export function parseIosShowVersion(text: string): ShowVersion {
  const descr = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((l) => /^Cisco IOS|^IOS \(tm\)|^Cisco Internetwork Operating System/.test(l))
    .map((l) => l.trim())
    .join('\n');
  return { descr, os: matchSysDescr(descr, iosSysDescr), ...versionBasics(text) };
}

export const iosCliFacts: CliFacts = {
  version: { command: 'show version', parse: parseIosShowVersion },
  inventory: ciscoShowInventory,
};
