/**
 * What `netops inventory import` does: read a source with its importer, write the inventory (every
 * host under a comment naming its origin), and list on stderr what could not be mapped. Exit code
 * 0 when everything mapped, 1 when problems were listed (the inventory is written all the same).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { importerNamed } from '../../config/import/index.js';
import type { ImportResult } from '../../config/import/imported.js';
import { count, inventoryYaml } from '../../config/import/yaml-writer.js';
import { resolveSecret } from '../../config/secrets.js';
import { displayPath } from '../../config/yaml-source.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import { formatImportProblems } from '../import-problems.js';

export interface ImportFlags {
  from: string;
  out?: string;
  platformMap?: string[];
  cloginrc?: string;
  secretsDir?: string;
  site?: string[];
  role?: string[];
  tag?: string[];
  option?: string[];
}

export async function importInventory(source: string, flags: ImportFlags): Promise<number> {
  const importer = await importerNamed(flags.from);
  const parsed = importer.options.safeParse(optionsFrom(flags));
  if (!parsed.success) throw optionError(flags.from, parsed.error, importer.options);
  const location = importer.source === 'file' ? displayPath(source) : source;
  if (importer.source === 'file') await mustExist(location, source);
  const result = await importer.read(location, parsed.data, {
    baseDir: process.cwd(),
    secret: resolveSecret,
  });
  const out = flags.out === undefined ? undefined : path.resolve(flags.out);
  const text = inventoryYaml(result, out === undefined ? {} : { dir: path.dirname(out) });
  for (const line of formatImportProblems(result.problems)) process.stderr.write(`${line}\n`);
  if (out === undefined) process.stdout.write(text);
  else {
    await writeFileAtomic(out, text);
    process.stderr.write(`${summary(result, flags.out ?? out)}\n`);
  }
  return result.problems.length === 0 ? 0 : 1;
}

/**
 * The importer's options from the flags: the named flags, then each `--option KEY=VALUE` with VALUE
 * read as YAML (`pageSize=500`, `map={name: 0, ip: 1}`); a key given twice becomes a list.
 */
function optionsFrom(flags: ImportFlags): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (flags.platformMap)
    options['platformMap'] = Object.fromEntries(flags.platformMap.map((p) => pair(p, '--platform-map')));
  if (flags.cloginrc !== undefined) options['cloginrc'] = flags.cloginrc;
  if (flags.secretsDir !== undefined) options['secretsDir'] = flags.secretsDir;
  for (const key of ['site', 'role', 'tag'] as const) if (flags[key]) options[key] = flags[key];
  for (const text of flags.option ?? []) {
    const [key, raw] = pair(text, '--option');
    const value: unknown = parse(raw);
    const earlier = options[key];
    options[key] = earlier === undefined ? value : [earlier, value].flat();
  }
  return options;
}

function pair(text: string, flag: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new NetopsError('CONFIG_INVALID', `${flag} "${text}": expected KEY=VALUE`, {
      hint: `Write it as ${flag} KEY=VALUE, e.g. ${flag === '--option' ? '--option pageSize=500' : '--platform-map cisco-xe=ios'}.`,
    });
  return [text.slice(0, at), text.slice(at + 1)];
}

/** The first option the importer refused, with the options it knows when the name is unknown. */
function optionError(from: string, error: z.ZodError, schema: z.ZodType): NetopsError {
  const issue = error.issues[0];
  const hint = `See docs/inventory.md ("Importing") for the options of ${from}.`;
  if (issue?.code === 'unrecognized_keys') {
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape as object).join(', ') : '';
    return new NetopsError(
      'CONFIG_INVALID',
      `${from}: unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}; known: ${known}`,
      { hint },
    );
  }
  return new NetopsError(
    'CONFIG_INVALID',
    `${from}: option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    { hint },
  );
}

async function mustExist(file: string, given: string): Promise<void> {
  await access(file).catch(() => {
    throw new NetopsError('CONFIG_UNREADABLE', `${given}: no such file`, {
      hint: 'Give the path of the file to import (relative to the current folder).',
    });
  });
}

function summary(result: ImportResult, out: string): string {
  const written = result.hosts.filter((h) => !h.disabled && h.address !== undefined).length;
  const commented = result.hosts.length - written;
  return `wrote ${out}: ${count(written, 'host')}${commented > 0 ? ` (and ${commented} commented out)` : ''}, ${count(result.groups.length, 'group')}, ${count(result.problems.length, 'problem')}`;
}
