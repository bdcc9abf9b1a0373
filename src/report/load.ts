/** Reads `facts/*.json` from a store folder, validating each file. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../core/errors.js';
import { parseFacts, type DeviceFacts } from '../facts/device-facts.js';

export interface LoadedFacts {
  readonly devices: DeviceFacts[];
  /** Files that could not be read as facts, with the reason; the report lists them. */
  readonly problems: { readonly file: string; readonly reason: string }[];
}

export async function loadFacts(storeDir: string): Promise<LoadedFacts> {
  const dir = path.join(storeDir, 'facts');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    throw new NetopsError('STORE_FAILED', `cannot read ${dir}: ${(error as Error).message}`, {
      cause: error,
      hint: 'Point --store at the folder the collect task writes to (it holds facts/HOST.json).',
    });
  }
  const devices: DeviceFacts[] = [];
  const problems: { file: string; reason: string }[] = [];
  for (const name of names) {
    const file = `facts/${name}`;
    try {
      devices.push(parseFacts(await readFile(path.join(dir, name), 'utf8')));
    } catch (error) {
      problems.push({ file, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  return { devices, problems };
}
