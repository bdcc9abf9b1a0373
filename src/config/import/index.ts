/**
 * The importers, by the name `--from` and a job's `from:` give. Each module is loaded only when a
 * source of its kind is read, so a job without import sources loads none of them.
 */
import { NetopsError } from '../../core/errors.js';
import type { Importer } from './importer.js';

const importers = {
  rancid: async () => (await import('./rancid.js')).rancidImporter,
  ansible: async () => (await import('./ansible.js')).ansibleImporter,
  'oxidized-csv': async () => (await import('./oxidized-csv.js')).oxidizedCsvImporter,
  netbox: async () => (await import('./netbox.js')).netboxImporter,
} as const satisfies Record<string, () => Promise<Importer<unknown>>>;

export type ImporterName = keyof typeof importers;

/** Every importer name, for help texts and the job schema. */
export const importerNames = Object.keys(importers) as [ImporterName, ...ImporterName[]];

export function isImporterName(name: string): name is ImporterName {
  return Object.hasOwn(importers, name);
}

/** The importer called `name`; an unknown name is refused with the known ones. */
export async function importerNamed(name: string): Promise<Importer> {
  if (!isImporterName(name))
    throw new NetopsError(
      'CONFIG_INVALID',
      `unknown import source "${name}"; known: ${importerNames.join(', ')}`,
      {
        hint: 'Name one of the known sources with --from (or `from:` in a job).',
      },
    );
  return importers[name]();
}
