/**
 * Where things live in the store, and the check that keeps every write inside it: host names
 * become file names, so they are held to the inventory's name rule (no `/`, no leading dot).
 */
import { namePattern } from '../config/inventory-schema.js';
import { NetopsError } from '../core/errors.js';

/** Folders the store writes and commits; anything else in the repository is left alone. */
export const STORE_FOLDERS = ['configs', 'facts'] as const;
export type StoreFolder = (typeof STORE_FOLDERS)[number];
/** Suspicious configs are kept here for a human to look at; never committed. */
export const REJECTED_FOLDER = 'rejected';

export function configPath(host: string): string {
  return `configs/${checkHostName(host)}.cfg`;
}

export function factsPath(host: string): string {
  return `facts/${checkHostName(host)}.json`;
}

export function checkHostName(host: string): string {
  if (namePattern.test(host)) return host;
  throw new NetopsError(
    'STORE_FAILED',
    `host name ${JSON.stringify(host)} cannot be a file name in the store`,
    {
      hint: 'Host names may use letters, digits and _ . @ - (up to 63, starting with a letter or digit).',
      host,
    },
  );
}

/** The folder and host of a path the store writes (`configs/r1.cfg`: configs, r1), else undefined. */
export function parseStorePath(
  relPath: string,
): { readonly folder: StoreFolder; readonly host: string } | undefined {
  const match = /^([a-z]+)\/(.+)\.(cfg|json)$/.exec(relPath);
  const folder = match?.[1] as StoreFolder | undefined;
  const host = match?.[2];
  return folder && host !== undefined && STORE_FOLDERS.includes(folder) && namePattern.test(host)
    ? { folder, host }
    : undefined;
}

/** Accepts `FOLDER/NAME.EXT` for one of the store folders and a valid host name, nothing else. */
export function checkStorePath(relPath: string): string {
  if (parseStorePath(relPath)) return relPath;
  throw new NetopsError('STORE_FAILED', `${JSON.stringify(relPath)} is not a path the store writes`, {
    hint: 'Use configPath(host) or factsPath(host): configs/HOST.cfg or facts/HOST.json.',
  });
}
