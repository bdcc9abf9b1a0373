/**
 * Secrets an importer finds in clear (a `.cloginrc` password, a plain Ansible password, a CSV
 * column) are written only when the user asks, each into its own file readable by its owner
 * alone, and the inventory refers to the file. Without a folder they become environment
 * references the user fills in: a secret value never lands inline in an inventory.
 */
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { ImportedSecretRef } from './imported.js';

/** A reference for one secret of a credential set: a 0600 file in `dir`, or an environment variable. */
export async function secretReference(
  value: string,
  place: { readonly dir: string | undefined; readonly set: string; readonly field: string },
): Promise<ImportedSecretRef> {
  if (place.dir === undefined) return { env: envName(place.set, place.field) };
  const file = path.resolve(place.dir, `${place.set}.${place.field}`);
  await writeFileAtomic(file, `${value}\n`, { mode: 0o600, dirMode: 0o700 });
  return { file };
}

/** `NETOPS_<SET>_<FIELD>`, in the characters an environment variable name allows. */
export function envName(set: string, field: string): string {
  return `NETOPS_${set}_${field}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The named path options, made absolute against `baseDir` (a job's or the current folder). */
export function resolvePaths<T extends object>(
  options: T,
  keys: ReadonlyArray<keyof T>,
  baseDir: string,
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) {
    const value = options[key];
    if (typeof value === 'string') out[key] = path.resolve(baseDir, value) as T[keyof T];
  }
  return out;
}
