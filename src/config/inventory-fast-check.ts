/**
 * Most hosts of a large inventory are a few plain fields (address, platform, groups...), and zod
 * checking a thousand of them costs more than reading the file. This checks such hosts directly,
 * by the same rules as inventory-schema.ts, and leaves everything else to zod: a host with any other
 * field, or any value these rules refuse, sends the whole file through zod, whose errors (and their
 * file:line:col) are the only ones shown. So this can only answer "valid", never word a problem.
 * A host's console, SSH options and SNMP are small objects checked by their own schemas (the host
 * schema's, so the same rules by construction); its `data` when it holds no key a task reads.
 */
import type { z } from 'zod';
import { addressFamily, isHostName } from '../net/address.js';
import {
  consoleSchema,
  namePattern,
  snmpSchema,
  sshOptionsSchema,
  type InventoryFile,
  type InventoryVocabulary,
} from './inventory-schema.js';
import { parseOnce } from './zod-issues.js';

type Check = (value: unknown, vocabulary: InventoryVocabulary) => boolean;

const isName = (value: unknown) => typeof value === 'string' && namePattern.test(value);

/** The plain host fields and when a value of each is valid: what the host schema says of them. */
const plainFields: Readonly<Record<string, Check>> = {
  address: (v) => typeof v === 'string' && (addressFamily(v) !== undefined || isHostName(v)),
  platform: (v, vocabulary) =>
    typeof v === 'string' &&
    (vocabulary.platforms.length === 0 ? v.length > 0 : vocabulary.platforms.includes(v)),
  transport: (v) => v === 'ssh' || v === 'telnet',
  port: (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 65535,
  family: (v) => v === 4 || v === 6,
  site: isName,
  credentials: isName,
  groups: (v) => Array.isArray(v) && v.every(isName),
  console: (v) => consoleSchema.safeParse(v).success,
  ssh: (v) => sshOptionsSchema.safeParse(v).success,
  snmp: (v) => snmpSchema.safeParse(v).success,
  // Free-form but for the keys tasks read (their schemas may change the value: left to zod).
  data: (v, vocabulary) =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v).every((key) => !Object.hasOwn(vocabulary.hostData, key)),
};

/** Whether `host`, named `name`, is plain and valid: an address and only plain fields, each valid. */
function plainValidHost(name: string, host: unknown, vocabulary: InventoryVocabulary): boolean {
  if (!namePattern.test(name) || host === null || typeof host !== 'object' || Array.isArray(host))
    return false;
  if (!('address' in host)) return false;
  for (const [field, value] of Object.entries(host)) {
    const check = plainFields[field];
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
