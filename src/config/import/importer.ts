/**
 * The contract every importer (RANCID, Ansible, Oxidized CSV, NetBox) fulfils, so one command
 * (`netops inventory import`) and one kind of job inventory entry (`{ from: NAME, ... }`) serve them
 * all. The registry (index.ts) loads an importer's module only when a source of its kind is read.
 */
import type { z } from 'zod';
import type { SecretRef } from '../model.js';
import type { ImportResult } from './imported.js';

/** What an importer may use beyond its source and options. */
export interface ImportContext {
  /** Relative paths in the options (and a relative file source) resolve against this folder. */
  readonly baseDir: string;
  /** Reads a secret the options reference (a NetBox token); the value is never logged or kept. */
  readonly secret: (ref: SecretRef) => Promise<string>;
}

export interface Importer<Options = unknown> {
  /** The `--from` / `from:` name. */
  readonly name: string;
  /** One line for `--help` and error messages. */
  readonly summary: string;
  /** What SOURCE names: a file (checked to exist before reading) or a URL. */
  readonly source: 'file' | 'url';
  /** The options a job entry or `--option KEY=VALUE` may give; an empty object must be valid. */
  readonly options: z.ZodType<Options>;
  /**
   * Reads `source`: a URL, or a file path that works from the current folder (relative to it when
   * the file is below it, as users like to see it in origins, else absolute). Problems with single
   * hosts or lines go in the result; throw NetopsError only when nothing can be read.
   */
  read(source: string, options: Options, context: ImportContext): Promise<ImportResult>;
}
