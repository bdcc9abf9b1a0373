/** NX-OS `show version` and `show inventory` for collect's CLI fallback (device-reference.md §4.7). */
import type { OsInfo } from '../../facts/os-info.js';
import type { CliFacts, ShowVersion } from '../cli-facts.js';
import { ciscoShowInventory } from '../cisco/show-inventory.js';
import { versionBasics } from '../cisco/show-version.js';

/** NX-OS 6.x says `system: version`, 7.x and later `NXOS: version`. */
export function parseNxosShowVersion(text: string): ShowVersion {
  const descr =
    text
      .replace(/\r\n/g, '\n')
      .split('\n')
      .find((l) => /NX-OS/.test(l))
      ?.trim() ?? '';
  return { descr, os: nxosVersion(text), ...versionBasics(text) };
}

function nxosVersion(text: string): OsInfo {
  const version = /^\s*(?:NXOS|system):\s+version\s+(\S+)/m.exec(text)?.[1];
  if (version === undefined) return { name: 'unknown' };
  const image = /^\s*(?:NXOS|system) image file is:\s*\S*?([^/:\s]+)\s*$/m.exec(text)?.[1];
  const platform = /^\s*cisco (Nexus\S*\s+[^\s(]+)/m.exec(text)?.[1];
  return {
    name: 'nx-os',
    version,
    ...(image ? { image } : {}),
    ...(platform ? { platform } : {}),
  };
}

export const nxosCliFacts: CliFacts = {
  version: { command: 'show version', parse: parseNxosShowVersion },
  inventory: ciscoShowInventory,
};
