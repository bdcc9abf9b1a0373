/**
 * A large inventory's data as read last time, kept as JSON in the state folder. Reading YAML is
 * the largest part of a run's start-up that is netops' own: js-yaml reads a 1,000-host lab
 * inventory (360 KB) in 160-195 ms of CPU when it runs first in a process, as in every `netops run`
 * and `--plan`; JSON.parse gives the same data back in 15-20 ms (plus 10 for reading and hashing).
 *
 * An entry is used only for the same text (SHA-256), the same netops (its version and the code of
 * this folder, which reads the YAML: a clone run from git keeps its version across fixes), the same
 * js-yaml and the same Node; anything else reads the YAML, which then replaces the entry. So a file
 * edited by hand, or a fix in how netops reads YAML, is never answered from an old entry. Only data JSON gives back unchanged is
 * kept (YAML's .nan, .inf and -0 are not JSON; a `__proto__` key is left to the YAML readers), and
 * only for files of at least MIN_BYTES: a small file reads fast anyway, and each file has one entry
 * (named by its absolute path). Entries are written atomically, mode 0600 in a 0700 folder: they
 * hold the inventory's data, which may include plain-text secrets (netops warns about those). A
 * cache that cannot be read or written costs only its time: the YAML is read as without it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { folderCodeDigest } from '../core/code-digest.js';
import { version } from '../core/version.js';

/** Files smaller than this are read as YAML every time (a 100-host inventory is about 36 KB). */
export const MIN_BYTES = 64 * 1024;

export interface YamlDataCache {
  /** The data `file` (absolute) gave last time for exactly this `text`, or undefined. */
  read(file: string, text: string): Promise<Record<string, unknown> | undefined>;
  /** Keeps `data`, read from `text` of `file` (absolute), for the next read of the same text. */
  keep(file: string, text: string, data: unknown): Promise<void>;
}

interface Entry {
  readonly key: string;
  readonly data: Record<string, unknown>;
}

/**
 * The cache in `dir` (a folder of the state folder), for data read by `reader` (what read the YAML:
 * netops' version and code, js-yaml's version, Node's).
 */
export function yamlDataCache(dir: string, reader?: string): YamlDataCache {
  const entryFile = (file: string) => path.join(dir, `${sha256(file)}.json`);
  // Worked out at the first large file: a run of small files reads no module.
  const keyOf = (text: string) => sha256(`${(reader ??= readerOfYaml())}\0${text}`);
  return {
    async read(file, text) {
      if (text.length < MIN_BYTES) return undefined;
      try {
        const entry = JSON.parse(await readFile(entryFile(file), 'utf8')) as Partial<Entry>;
        return entry.key === keyOf(text) && isMapping(entry.data) ? entry.data : undefined;
      } catch {
        return undefined; // no entry yet, or one cut or unreadable: read the YAML
      }
    },
    async keep(file, text, data) {
      if (text.length < MIN_BYTES || !isMapping(data) || !survivesJson(data)) return;
      const entry: Entry = { key: keyOf(text), data };
      try {
        await writeFileAtomic(entryFile(file), JSON.stringify(entry), { mode: 0o600, dirMode: 0o700 });
      } catch {
        // A read-only or full state folder: the next run reads the YAML again.
      }
    },
  };
}

/** What reads an inventory's YAML in this process: netops and its code, js-yaml, Node (numbers). */
function readerOfYaml(): string {
  const jsYaml = (createRequire(import.meta.url)('js-yaml/package.json') as { version: string }).version;
  return [version, folderCodeDigest(import.meta.url), jsYaml, process.version].join('\0');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Whether JSON gives `value` back as it is: text, booleans, null, finite numbers other than -0,
 * lists and plain mappings of those, no `__proto__` key (nothing else: no undefined, no object of a
 * class).
 */
function survivesJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(survivesJson);
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key of Object.keys(value)) {
        if (key === '__proto__' || !survivesJson((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    default:
      return false;
  }
}
