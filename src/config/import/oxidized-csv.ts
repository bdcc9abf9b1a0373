/**
 * Oxidized's CSV source (its `router.db`): one device a line, fields split by a delimiter (`:` by
 * default) and picked by a map of column numbers, as Oxidized's `source.csv.map` and `vars_map`
 * configure it. `:` cannot separate bare IPv6 addresses, so a field in brackets (`[2001:db8::1]`)
 * is read whole; a line with a bare IPv6 address is a problem, and another delimiter (`;`, `,`)
 * avoids the question.
 */
import { z } from 'zod';
import { isHostName, normalizeAddress, parseIPv6 } from '../../net/address.js';
import { ImportCollector } from './collector.js';
import { CredentialSets } from './credential-sets.js';
import type { ImportedHost, ImportResult } from './imported.js';
import type { Importer } from './importer.js';
import { mapPlatform, type PlatformTable } from './platform-map.js';
import { numberedLines, readSource } from './read-source.js';
import { resolvePaths } from './secret-files.js';

export type OxidizedMap = Readonly<Record<string, number>>;

/** `name=0,ip=1,model=2` as a map; undefined when the text is not of that form. */
export function parseOxidizedMap(text: string): OxidizedMap | undefined {
  const map: Record<string, number> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z_]\w*)\s*[=:]\s*(\d+)\s*$/.exec(part);
    if (!match) return undefined;
    map[match[1]!] = Number(match[2]);
  }
  return map;
}

const columnMap = z.union(
  [
    z.record(z.string(), z.int().min(0)),
    z
      .string()
      .transform(
        (text, ctx) =>
          parseOxidizedMap(text) ??
          (ctx.addIssue({ code: 'custom', message: 'expected key=column pairs: name=0,ip=1,model=2' }),
          z.NEVER),
      ),
  ],
  { error: 'expected a map of field to column number, e.g. { name: 0, model: 1 } or "name=0,model=1"' },
);

export const oxidizedCsvOptionsSchema = z.strictObject({
  /** Oxidized's `map`: node fields to column numbers (0-based). @default { name: 0, model: 1 } */
  map: columnMap.optional(),
  /** Oxidized's `vars_map`: node vars (`enable`, `ssh_port`, `input`, ...) to column numbers. */
  varsMap: columnMap.optional(),
  /** The field separator, taken literally. @default ":" */
  delimiter: z.string().min(1).optional(),
  /** Oxidized model names to platforms, before the built-in table. */
  platformMap: z.record(z.string(), z.string()).optional(),
  /** Where passwords of the file go, one 0600 file each. */
  secretsDir: z.string().min(1).optional(),
});

export type OxidizedCsvOptions = z.output<typeof oxidizedCsvOptionsSchema>;

export const oxidizedCsvImporter: Importer<OxidizedCsvOptions> = {
  name: 'oxidized-csv',
  summary: 'Oxidized CSV source (router.db with a configurable column map)',
  source: 'file',
  options: oxidizedCsvOptionsSchema,
  read: (file, options, context) =>
    importOxidizedCsv(file, { ...options, ...resolvePaths(options, ['secretsDir'], context.baseDir) }),
};

/** Oxidized model names of the platforms netops drives. */
export const oxidizedPlatforms: PlatformTable = { ios: 'ios', iosxe: 'ios', nxos: 'nxos' };

const defaultMap: OxidizedMap = { name: 0, model: 1 };
/** Node fields that become netops fields; other map keys become data. */
const hostFields = new Set(['name', 'ip', 'model', 'group', 'username', 'password']);
/** Node vars that become netops fields; other vars become data. */
const hostVars = new Set(['enable', 'input', 'ssh_port', 'telnet_port']);

export async function importOxidizedCsv(
  file: string,
  options: OxidizedCsvOptions = {},
): Promise<ImportResult> {
  const text = await readSource(file, 'Oxidized CSV source');
  const collector = new ImportCollector(`Oxidized CSV ${file}`);
  const credentials = new CredentialSets(collector, options.secretsDir);
  const delimiter = options.delimiter ?? ':';
  for (const { line, text: content } of numberedLines(text)) {
    if (/^\s*(#|$)/.test(content)) continue;
    const origin = `${file}:${line}`;
    const fields = splitFields(content, delimiter);
    if (typeof fields === 'string') {
      collector.problem({
        origin,
        message: fields,
        hint: 'Write IPv6 addresses in brackets ([2001:db8::1]) or use another delimiter (--option delimiter=";").',
      });
      continue;
    }
    const host = await hostOf(fields, { origin, options, collector, credentials });
    if (host) collector.host(host);
  }
  return collector.result();
}

/** The fields of a line; `[...]` is one field even when it holds the delimiter. */
export function splitFields(line: string, delimiter: string): string[] | string {
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length;) {
    if (line[i] === '[' && field === '') {
      const close = line.indexOf(']', i);
      if (close > 0) {
        field = line.slice(i + 1, close);
        i = close + 1;
        continue;
      }
    }
    if (line.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length;
    } else field += line[i++];
  }
  fields.push(field);
  if (delimiter === ':' && holdsBareIPv6(fields))
    return 'this line holds an IPv6 address outside brackets, which the ":" delimiter splits';
  return fields;
}

/** Three or more fields of hex groups (two of them not empty) that join into an IPv6 address. */
function holdsBareIPv6(fields: readonly string[]): boolean {
  for (let start = 0; start < fields.length; start++)
    for (let end = start + 3; end <= fields.length; end++) {
      const run = fields.slice(start, end);
      if (!run.every((f) => /^[0-9a-f]{0,4}$/i.test(f))) break;
      if (run.filter((f) => f !== '').length >= 2 && parseIPv6(run.join(':')) !== undefined) return true;
    }
  return false;
}

interface LineContext {
  readonly origin: string;
  readonly options: OxidizedCsvOptions;
  readonly collector: ImportCollector;
  readonly credentials: CredentialSets;
}

async function hostOf(fields: string[], at: LineContext): Promise<ImportedHost | undefined> {
  const { collector, origin } = at;
  const map = at.options.map ?? defaultMap;
  const pick = (column: number | undefined) => {
    const value = column === undefined ? undefined : fields[column]?.trim();
    return value === '' ? undefined : value;
  };
  const node = Object.fromEntries(Object.entries(map).map(([key, column]) => [key, pick(column)]));
  const vars = Object.fromEntries(
    Object.entries(at.options.varsMap ?? {}).map(([key, column]) => [key, pick(column)]),
  );
  const wanted = node['name'];
  if (wanted === undefined) {
    collector.problem({
      origin,
      message: `no name in column ${map['name'] ?? '(unmapped)'}`,
      hint: 'Give every line a name, or map the name column with --option map=name=0,...',
    });
    return undefined;
  }
  const given = node['ip'] ?? wanted;
  const ip = normalizeAddress(given);
  const address = ip ?? (isHostName(given) ? given : undefined);
  const name = collector.name(
    ip !== undefined && node['ip'] === undefined ? ip : wanted,
    origin,
    'host',
    ip !== undefined && node['ip'] === undefined,
  );
  if (address === undefined)
    collector.problem({
      origin,
      host: name,
      message: `"${given}" is neither an IP address nor a host name; imported without an address`,
      hint: 'Fix the ip column (IPv6 in brackets when the delimiter is ":").',
    });
  const platform =
    node['model'] === undefined
      ? undefined
      : mapPlatform(
          node['model'],
          { table: oxidizedPlatforms, overrides: at.options.platformMap, field: 'model' },
          { collector, origin, host: name },
        );
  if (node['model'] === undefined)
    collector.problem({
      origin,
      host: name,
      message: `${name} has no model; imported without a platform`,
      hint: 'Fill in the model column, or set the platform in the inventory.',
    });
  const group = node['group'] === undefined ? undefined : collector.name(node['group'], origin, 'group');
  if (group !== undefined) collector.group(group, origin);
  const credentials = await at.credentials.setFor(
    { user: node['username'], password: node['password'], enable: vars['enable'], key: undefined },
    origin,
  );
  return {
    name,
    address,
    ...connection(vars),
    ...(platform === undefined ? {} : { platform }),
    groups: group === undefined ? [] : [group],
    vars: Object.fromEntries(
      [
        ...Object.entries(node).filter(([key]) => !hostFields.has(key)),
        ...Object.entries(vars).filter(([key]) => !hostVars.has(key)),
      ].filter(([, value]) => value !== undefined),
    ),
    ...(credentials === undefined ? {} : { credentials }),
    origin,
  };
}

/** Oxidized's `input` (ssh, telnet, in order of preference) and the port of the one chosen. */
function connection(vars: Record<string, string | undefined>): Pick<ImportedHost, 'transport' | 'port'> {
  const transport = vars['input']?.split(/\s*,\s*/).find((input) => input === 'ssh' || input === 'telnet') as
    'ssh' | 'telnet' | undefined;
  const port = Number(vars[transport === 'telnet' ? 'telnet_port' : 'ssh_port']);
  return {
    ...(transport === undefined ? {} : { transport }),
    ...(Number.isInteger(port) && port > 0 && port < 65536 ? { port } : {}),
  };
}
