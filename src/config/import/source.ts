/**
 * An import source used as an inventory: a job's `inventory:` entry `{ from: ansible, path: hosts.ini }`
 * (or `{ from: netbox, url: ..., site: dc1 }`) is checked with the job, then read on every run and
 * turned into the same inventory text `netops inventory import` prints, parsed like any inventory
 * file. Its problems become warnings of the run.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SecretRef } from '../model.js';
import { YamlSource, displayPath } from '../yaml-source.js';
import type { ImportProblem } from './imported.js';
import { importerNamed, importerNames, type ImporterName } from './index.js';

/** A job's inventory entry naming an import source; keys besides these are the importer's options. */
export const importEntrySchema = z.looseObject({
  from: z.enum(importerNames, { error: `expected an import source: ${importerNames.join(', ')}` }),
  /** The file, relative to the job file, for file sources (rancid, ansible, oxidized-csv). */
  path: z.string().min(1).optional(),
  /** The server, for URL sources (netbox). */
  url: z.string().min(1).optional(),
});

export type ImportEntry = z.output<typeof importEntrySchema>;

/** An import source, checked: its importer, what it reads, and its options as the importer parsed them. */
export interface ImportSource {
  readonly from: ImporterName;
  /** An absolute path or a URL. */
  readonly location: string;
  readonly options: unknown;
  /** Relative paths in the options resolve against it (the job file's folder, or the current one). */
  readonly baseDir: string;
}

/** A file path, or an import source: what a job's `inventory:` lists. */
export type InventorySource = string | ImportSource;

/** What is wrong with an entry, at a path inside it (for positions in the job file). */
export interface EntryProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint: string;
}

/** Why an entry cannot be used: its shape, or options its importer's schema refused. */
export type EntryRefusal =
  { readonly problem: EntryProblem } | { readonly optionsError: z.ZodError; readonly schema: z.ZodType };

/** Checks an entry against its importer: the location it needs, and its options. */
export async function checkImportEntry(
  entry: ImportEntry,
  baseDir: string,
): Promise<ImportSource | EntryRefusal> {
  const importer = await importerNamed(entry.from);
  const { from, path: file, url, ...rest } = entry;
  const [wanted, given, other] = importer.source === 'file' ? ['path', file, url] : ['url', url, file];
  if (given === undefined || other !== undefined) {
    const what = importer.source === 'file' ? 'the file to read, relative to the job file' : 'the server URL';
    const message =
      other === undefined
        ? `${from} needs \`${wanted}\`: ${what}`
        : `${from} reads ${importer.source === 'file' ? 'a file' : 'a URL'}: give \`${wanted}\`, not \`${wanted === 'path' ? 'url' : 'path'}\``;
    return { problem: { path: [], message, hint: `Write it as { from: ${from}, ${wanted}: ... }.` } };
  }
  const location = importer.source === 'file' ? path.resolve(baseDir, given) : given;
  if (importer.source === 'file' && !(await exists(location)))
    return {
      problem: {
        path: ['path'],
        message: `${from} source "${given}" does not exist`,
        hint: 'Paths in a job file are relative to the job file.',
      },
    };
  const options = importer.options.safeParse(rest);
  if (!options.success) return { optionsError: options.error, schema: importer.options };
  return { from, location, options: options.data, baseDir };
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** An import source read: the inventory text as a parsed file, and what the importer could not map. */
export interface ImportedInventory {
  readonly yaml: YamlSource;
  readonly problems: readonly ImportProblem[];
}

/** Reads `source` now (a job re-reads it on every run). */
export async function readImportSource(
  source: ImportSource,
  secret: (ref: SecretRef) => Promise<string>,
): Promise<ImportedInventory> {
  // Loaded here: the writer needs the `yaml` library, which a job without import sources never loads.
  const [importer, { inventoryYaml }] = await Promise.all([
    importerNamed(source.from),
    import('./yaml-writer.js'),
  ]);
  const location = importer.source === 'file' ? displayPath(source.location) : source.location;
  const result = await importer.read(location, source.options, { baseDir: source.baseDir, secret });
  // A host the source marks out of service is not part of the job: what it lacks does not matter to the run.
  const disabled = new Set(result.hosts.filter((h) => h.disabled).map((h) => h.name));
  const problems = result.problems.filter((p) => p.host === undefined || !disabled.has(p.host));
  return { yaml: YamlSource.parse(importLabel(source), inventoryYaml(result, { forJob: true })), problems };
}

/**
 * How positions in an import source's inventory text are shown: `<import ansible hosts.ini>:12:5`,
 * line 12 of what `netops inventory import --from ansible hosts.ini` prints.
 */
export function importLabel(source: ImportSource): string {
  const location = /^[a-z]+:\/\//i.test(source.location) ? source.location : displayPath(source.location);
  return `<import ${source.from} ${location}>`;
}
