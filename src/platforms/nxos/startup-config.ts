/**
 * How a Nexus 7000 gets a new startup-config (device-reference §4.3-§4.6, §5): it refuses `copy
 * bootflash:FILE startup-config`, so the file is staged on bootflash:, the config erased, the switch
 * reloaded, and the staged file applied on the console after the first boot.
 */
import type { StartupConfigWorkflow } from '../startup-config.js';

/** `dir bootflash:` rows: `      1520    Nov 29 12:00:00 2026  netops-r1.cfg`. */
function listedSize(listing: string, file: string): number | undefined {
  const row = listing.split('\n').find((l) => l.trim().endsWith(` ${file}`) || l.trim() === file);
  const size = /^\s*(\d+)\s/.exec(row ?? '')?.[1];
  return size === undefined ? undefined : Number(size);
}

export const nxosStartupConfig = {
  kind: 'rebuild-on-console',
  flash: 'bootflash:',
  vrf: 'management',
  listFlash: { command: 'dir bootflash:', size: listedSize },
  md5: (path) => `show file ${path} md5sum`,
  apply: (path) => `copy ${path} running-config`,
  copyDone: /Copy complete/,
  saveDone: /Copy complete\.?\s*$/m,
  firstBootUser: 'admin',
} as const satisfies StartupConfigWorkflow;
