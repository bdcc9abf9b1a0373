/**
 * Most hosts of a large inventory are a few plain fields (address, platform, groups...), and zod
 * checking a thousand of them costs more than reading the file. This checks such hosts directly,
 * by the same rules as inventory-schema.ts, and leaves everything else to zod: a host with any other
 * field, or any value these rules refuse, sends the whole file through zod, whose errors (and their
 * file:line:col) are the only ones shown. So this can only answer "valid", never word a problem.
 * A host's console, SSH options and SNMP v2c settings are checked directly too: a thousand small
 * objects through zod cost about as much as reading the file (callgrind, a 1,000-host lab
 * inventory, the whole check: 251 M instructions with zod for each, 86 M this way). Any other form
 * of them (SNMP v3, or a value these rules refuse) goes to the host schema's own sub-schema for
 * that object, which has the last word. Its `data` when it holds no key a task reads.
 */
import type { z } from 'zod';
import { addressFamily, isHostName } from '../net/address.js';
import {
  consoleSchema,
  envNamePattern,
  namePattern,
  snmpSchema,
  sshOptionsSchema,
  type InventoryFile,
  type InventoryVocabulary,
} from './inventory-schema.js';
import { parseOnce } from './zod-issues.js';

type Check = (value: unknown, vocabulary: InventoryVocabulary) => boolean;

const isName = (value: unknown) => typeof value === 'string' && namePattern.test(value);
const isAddress = (v: unknown) => typeof v === 'string' && (addressFamily(v) !== undefined || isHostName(v));
const isPort = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
const isBoolean = (v: unknown) => typeof v === 'boolean';

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether `value` is a mapping of `fields` only, with each of `required`, every value valid. */
function isSmallObject(
  value: unknown,
  fields: Readonly<Record<string, (v: unknown) => boolean>>,
  required: readonly string[],
): boolean {
  if (!isMapping(value)) return false;
  for (const name in value) if (!Object.hasOwn(fields, name) || !fields[name]!(value[name])) return false;
  return required.every((name) => Object.hasOwn(value, name));
}

/** A non-empty string, `{ env: NAME }` or `{ file: PATH }`: what secretRefSchema takes. */
function isSecretRef(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 0;
  return (
    isSmallObject(v, { env: (name) => typeof name === 'string' && envNamePattern.test(name) }, ['env']) ||
    isSmallObject(v, { file: (path) => typeof path === 'string' && path.length > 0 }, ['file'])
  );
}

const consoleFields = { host: isAddress, port: isPort };
const sshFields = { legacyAlgorithms: isBoolean, trustNewHostKey: isBoolean };
const snmpV2cFields = {
  version: (v: unknown) => v === '2c',
  community: isSecretRef,
  writeCommunity: isSecretRef,
  port: isPort,
};

/** The plain host fields and when a value of each is valid: what the host schema says of them. */
const plainFields: Readonly<Record<string, Check>> = {
  address: isAddress,
  platform: (v, vocabulary) =>
    typeof v === 'string' &&
    (vocabulary.platforms.length === 0 ? v.length > 0 : vocabulary.platforms.includes(v)),
  transport: (v) => v === 'ssh' || v === 'telnet',
  port: isPort,
  family: (v) => v === 4 || v === 6,
  site: isName,
  credentials: isName,
  groups: (v) => Array.isArray(v) && v.every(isName),
  console: (v) => isSmallObject(v, consoleFields, ['host', 'port']) || consoleSchema.safeParse(v).success,
  ssh: (v) => isSmallObject(v, sshFields, []) || sshOptionsSchema.safeParse(v).success,
  snmp: (v) => isSmallObject(v, snmpV2cFields, ['version', 'community']) || snmpSchema.safeParse(v).success,
  // Free-form but for the keys tasks read (their schemas may change the value: left to zod).
  data: (v, vocabulary) =>
    isMapping(v) && Object.keys(v).every((key) => !Object.hasOwn(vocabulary.hostData, key)),
};

/** Whether `host`, named `name`, is plain and valid: an address and only plain fields, each valid. */
function plainValidHost(name: string, host: unknown, vocabulary: InventoryVocabulary): boolean {
  if (!namePattern.test(name) || host === null || typeof host !== 'object' || Array.isArray(host))
    return false;
  if (!('address' in host)) return false;
  for (const [field, value] of Object.entries(host)) {
    // hasOwn: a field named `constructor` or `toString` is no check of this table, but unknown.
    const check = Object.hasOwn(plainFields, field) ? plainFields[field] : undefined;
    if (check === undefined || value === undefined || !check(value, vocabulary)) return false;
  }
  return true;
}

/**
 * The file checked: zod for all but its plain hosts when every host is plain and valid (those are
 * taken as read: zod would give equal objects, and nothing changes a file's data), else zod for the
 * whole file.
 */
export function parseInventoryFile(
  schema: z.ZodType<InventoryFile>,
  data: Record<string, unknown>,
  vocabulary: InventoryVocabulary,
): z.ZodSafeParseResult<InventoryFile> {
  const hosts = data['hosts'];
  if (hosts === null || typeof hosts !== 'object' || Array.isArray(hosts)) return schema.safeParse(data);
  if (!Object.entries(hosts).every(([name, host]) => plainValidHost(name, host, vocabulary)))
    return schema.safeParse(data);
  // Each schema of the rest meets a value or a few (zod's fast path pays off only over many hosts).
  const rest = schema.safeParse({ ...data, hosts: {} }, parseOnce);
  if (!rest.success) return schema.safeParse(data);
  return { ...rest, data: { ...rest.data, hosts: hosts as NonNullable<InventoryFile['hosts']> } };
}
