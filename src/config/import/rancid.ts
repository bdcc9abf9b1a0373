/**
 * RANCID's `router.db` (router.db(5)): one device a line, `name;type;state[;comment]` since 3.0
 * and `name:type:state[:comment]` before. The name is what RANCID connects to, so it becomes the
 * address; a state other than `up` imports the host disabled. Credentials are references to fill
 * in, unless the user asks for `.cloginrc` to be read, and then its secrets go to 0600 files.
 */
import path from 'node:path';
import { z } from 'zod';
import { NetopsError } from '../../core/errors.js';
import { isHostName, normalizeAddress } from '../../net/address.js';
import { lookup, readCloginrc, type CloginDirective } from './cloginrc.js';
import { CredentialSets } from './credential-sets.js';
import { ImportCollector } from './collector.js';
import type { ImportedHost, ImportResult } from './imported.js';
import type { Importer } from './importer.js';
import { mapPlatform, type PlatformTable } from './platform-map.js';
import { numberedLines, readSource } from './read-source.js';
import { resolvePaths } from './secret-files.js';
import { splitRouterLine } from './rancid-line.js';

export const rancidOptionsSchema = z.strictObject({
  /** Device types to platforms, before RANCID's own table (`--platform-map TYPE=PLATFORM`). */
  platformMap: z.record(z.string(), z.string()).optional(),
  /** The RANCID group the hosts join. @default the name of the folder holding router.db */
  group: z.string().min(1).optional(),
  /** Read this `.cloginrc` for users, passwords, keys and methods; needs `secretsDir`. */
  cloginrc: z.string().min(1).optional(),
  /** Where secrets read from `.cloginrc` are written, one 0600 file each. */
  secretsDir: z.string().min(1).optional(),
});

export type RancidImportOptions = z.output<typeof rancidOptionsSchema>;

export const rancidImporter: Importer<RancidImportOptions> = {
  name: 'rancid',
  summary: 'RANCID router.db (3.x ";" and 2.x ":" formats)',
  source: 'file',
  options: rancidOptionsSchema,
  read: (file, options, context) =>
    importRancid(file, {
      ...options,
      ...resolvePaths(options, ['cloginrc', 'secretsDir'], context.baseDir),
    }),
};

/** RANCID device types (rancid.types.base) that netops drives. */
export const rancidPlatforms: PlatformTable = {
  cisco: 'ios',
  ios: 'ios',
  'cisco-nx': 'nxos',
  'ios-nx': 'nxos',
  frr: 'frr',
  zebra: 'frr',
};

export async function importRancid(file: string, options: RancidImportOptions = {}): Promise<ImportResult> {
  if (options.cloginrc !== undefined && options.secretsDir === undefined)
    throw new NetopsError('CONFIG_INVALID', `reading ${options.cloginrc} needs a folder for its secrets`, {
      hint: 'Pass --secrets-dir DIR: each password read from .cloginrc goes into its own 0600 file there, never into the inventory.',
    });
  const collector = new ImportCollector(`RANCID router.db ${file}`);
  const text = await readSource(file, 'RANCID router.db');
  const group = groupOf(file, options, collector);
  const lines = numberedLines(text).filter((l) => !/^\s*(#|;|$)/.test(l.text));
  const separator = lines.some((l) => l.text.includes(';')) ? ';' : ':';
  for (const { line, text: content } of lines) {
    const origin = `${file}:${line}`;
    const fields = splitRouterLine(content, separator);
    if (typeof fields === 'string') {
      collector.problem({
        origin,
        message: `cannot read this line: ${fields}`,
        hint: 'Write it as name;type;state (RANCID 3) or name:type:state (RANCID 2, IPv6 in [brackets]).',
      });
      continue;
    }
    const host = hostOf(fields, { origin, group, options, collector });
    collector.host(host);
  }
  if (options.cloginrc === undefined) referCredentials(collector);
  else await readCredentials(collector, options.cloginrc, options.secretsDir!);
  return collector.result();
}

function groupOf(file: string, options: RancidImportOptions, collector: ImportCollector): string {
  const wanted = options.group ?? path.basename(path.dirname(path.resolve(file)));
  const name = collector.name(wanted.toLowerCase(), file, 'group');
  collector.group(name, file);
  return name;
}

interface LineContext {
  readonly origin: string;
  readonly group: string;
  readonly options: RancidImportOptions;
  readonly collector: ImportCollector;
}

function hostOf(
  fields: { name: string; type: string; state: string; comment: string },
  at: LineContext,
): ImportedHost {
  // RANCID keeps devices by their lower-cased name.
  const device = fields.name.toLowerCase();
  const ip = normalizeAddress(device);
  const name = at.collector.name(ip ?? device, at.origin, 'host', ip !== undefined);
  const address = ip ?? (isHostName(device) ? device : undefined);
  if (address === undefined)
    at.collector.problem({
      origin: at.origin,
      host: name,
      message: `device "${fields.name}" is neither an IP address nor a host name; imported without an address`,
      hint: 'Give the host an address in the inventory, or fix the name in router.db.',
    });
  const lookupAt = { collector: at.collector, origin: at.origin, host: name };
  const platform = fields.type
    ? mapPlatform(
        fields.type,
        { table: rancidPlatforms, overrides: at.options.platformMap, field: 'device type' },
        lookupAt,
      )
    : missingType(lookupAt);
  const up = /^up$/i.test(fields.state);
  const vars: Record<string, unknown> = {};
  if (fields.comment) vars['comment'] = fields.comment;
  if (!up && !/^down$/i.test(fields.state)) vars['rancidState'] = fields.state;
  return {
    name,
    address,
    ...(platform === undefined ? {} : { platform }),
    groups: [at.group],
    vars,
    ...(at.options.cloginrc === undefined ? { credentials: 'rancid' } : {}),
    ...(up ? {} : { disabled: true }),
    origin: at.origin,
  };
}

function missingType(at: { collector: ImportCollector; origin: string; host: string }): undefined {
  at.collector.problem({
    origin: at.origin,
    host: at.host,
    message: `${at.host} has no device type; imported without a platform`,
    hint: 'Add the type in router.db (name;type;state) or set the platform in the inventory.',
  });
  return undefined;
}

/**
 * Without `.cloginrc`, one set every host uses, its secrets as environment references; the written
 * inventory says to fill in its user name, so no problem is added (a job reading router.db on each
 * run would repeat it every run).
 */
function referCredentials(collector: ImportCollector): void {
  const result = collector.result();
  if (result.hosts.length === 0) return;
  collector.credentials({
    name: 'rancid',
    username: undefined,
    password: { env: 'NETOPS_RANCID_PASSWORD' },
    enable: { env: 'NETOPS_RANCID_ENABLE' },
    origin: result.source,
  });
}

/** Each host's first matching user, password and identity of `.cloginrc`; hosts with the same share a set. */
async function readCredentials(collector: ImportCollector, cloginrc: string, secretsDir: string) {
  const directives = await readCloginrc(cloginrc);
  const sets = new CredentialSets(collector, secretsDir);
  for (const host of collector.result().hosts) {
    const router = host.address ?? host.name;
    const user = lookup(directives, 'user', router);
    const password = lookup(directives, 'password', router);
    const identity = lookup(directives, 'identity', router)?.values[0];
    const login = {
      user: user?.values[0],
      password: password?.values[0],
      enable: password?.values[1],
      key: identity === undefined ? undefined : path.resolve(path.dirname(cloginrc), identity),
    };
    const set = await sets.setFor(login, (user ?? password)?.origin ?? host.origin);
    const transport = methodOf(lookup(directives, 'method', router));
    collector.update({ ...host, ...(set ? { credentials: set } : {}), ...transport });
    if (!user)
      collector.problem({
        origin: host.origin,
        host: host.name,
        message: `${cloginrc} has no "add user" for ${router} (clogin would use the local user name)`,
        hint: 'Add "add user GLOB {name}" to .cloginrc, or give the host credentials in the inventory.',
      });
  }
}

/** clogin's first method netops has (ssh or telnet, with an optional `:port`). */
function methodOf(method: CloginDirective | undefined): Pick<ImportedHost, 'transport' | 'port'> {
  for (const value of method?.values ?? []) {
    const match = /^(ssh|telnet)(?::(\d+))?$/.exec(value);
    if (match)
      return { transport: match[1] as 'ssh' | 'telnet', ...(match[2] ? { port: Number(match[2]) } : {}) };
  }
  return {};
}
