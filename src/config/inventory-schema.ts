/**
 * The inventory file format (`inventory/*.yaml`): `defaults`, `credentials`, `groups`, `hosts`.
 * Fields a host can inherit are the same at every level; `address` and group membership are not inherited.
 */
import { z } from 'zod';
import { isHostName, parseAddress } from '../net/address.js';

export const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,62}$/;
const nameRule = 'letters, digits and _ . @ - (up to 63, starting with a letter or digit)';

const entityName = z.string().regex(namePattern, { message: `expected a name made of ${nameRule}` });

export const addressSchema = z
  .string()
  .refine((text) => parseAddress(text) !== undefined || isHostName(text), {
    message: 'expected an IPv4 or IPv6 address or a host name',
  });

/** An environment variable's name, as a secret reference `{ env: NAME }` gives it. */
export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const secretRefSchema = z.union(
  [
    z.string().min(1),
    z.strictObject({
      env: z.string().regex(envNamePattern, {
        message: 'expected an environment variable name (letters, digits and _)',
      }),
    }),
    z.strictObject({ file: z.string().min(1) }),
  ],
  {
    error:
      'expected a secret reference: { env: NAME } or { file: PATH } (or, with a warning, a plain string)',
  },
);

const port = z.int().min(1).max(65535);

/** Where a host's console server is (`netops` reaches a device's serial console through it). */
export const consoleSchema = z.strictObject({ host: addressSchema, port });

export const sshOptionsSchema = z.strictObject({
  legacyAlgorithms: z.boolean().optional(),
  trustNewHostKey: z.boolean().optional(),
});

export const snmpSchema = z
  .strictObject({
    version: z.union([z.literal('2c'), z.literal('3'), z.literal(3)], {
      error: 'expected SNMP version "2c" or 3',
    }),
    port: port.optional(),
    community: secretRefSchema.optional(),
    writeCommunity: secretRefSchema.optional(),
    user: z.string().min(1).optional(),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).optional(),
    authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
    authKey: secretRefSchema.optional(),
    privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).optional(),
    privKey: secretRefSchema.optional(),
  })
  .superRefine((snmp, ctx) => {
    const need = (field: keyof typeof snmp, why: string) => {
      if (snmp[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `required ${why}` });
    };
    if (snmp.version === '2c') need('community', 'for SNMP v2c');
    else {
      need('user', 'for SNMP v3');
      const level = snmp.level ?? 'authPriv';
      if (level !== 'noAuthNoPriv') need('authKey', `for SNMP v3 ${level}`);
      if (level === 'authPriv') need('privKey', 'for SNMP v3 authPriv');
    }
  });

/** What the layers above know and the inventory is checked against, passed in so this layer imports nothing upward. */
export interface InventoryVocabulary {
  /** Platform names a host may set: the platform registry's. */
  readonly platforms: readonly string[];
  /** Schemas of the `data` keys tasks read (e.g. `backupMethods`); other keys stay free-form. */
  readonly hostData: Readonly<Record<string, z.ZodType>>;
}

/** The inventory file schema for what this build of netops knows (platforms, data keys tasks read). */
export function inventoryFileSchema(vocabulary: InventoryVocabulary) {
  const [first, ...rest] = vocabulary.platforms;
  const inheritableFields = {
    port: port.optional(),
    family: z.union([z.literal(4), z.literal(6)], { error: 'expected 4 or 6' }).optional(),
    /** The site whose workers reach the host (`netops run --queue`). */
    site: entityName.optional(),
    platform: (first === undefined ? z.string().min(1) : z.enum([first, ...rest])).optional(),
    transport: z.enum(['ssh', 'telnet']).optional(),
    console: consoleSchema.optional(),
    snmp: snmpSchema.optional(),
    credentials: entityName.optional(),
    ssh: sshOptionsSchema.optional(),
    data: z
      .looseObject(
        Object.fromEntries(
          Object.entries(vocabulary.hostData).map(([key, schema]) => [key, schema.optional()]),
        ),
      )
      .optional(),
  };
  const defaultsSchema = z.strictObject(inheritableFields);
  const groupSchema = z.strictObject({ ...inheritableFields, groups: z.array(entityName).optional() });
  const hostSchema = z.strictObject({
    address: addressSchema,
    ...inheritableFields,
    groups: z.array(entityName).optional(),
  });
  return z.strictObject({
    $schema: z.string().optional(),
    defaults: defaultsSchema.optional(),
    credentials: z.record(entityName, credentialsSchema).optional(),
    groups: z.record(entityName, groupSchema).optional(),
    hosts: z.record(entityName, hostSchema).optional(),
  });
}

export const credentialsSchema = z.strictObject({
  username: z.string().min(1),
  password: secretRefSchema.optional(),
  enable: secretRefSchema.optional(),
  privateKey: secretRefSchema.optional(),
});

export type InventoryFile = z.infer<ReturnType<typeof inventoryFileSchema>>;
export type InheritableValues = NonNullable<InventoryFile['defaults']>;
export type InheritableField = keyof InheritableValues;
export type RawSecretRef = z.infer<typeof secretRefSchema>;

/** The fields a host inherits from its groups and the defaults, in no particular order. */
export const inheritableFieldNames = Object.keys(
  inventoryFileSchema({ platforms: [], hostData: {} }).shape.defaults.unwrap().shape,
) as InheritableField[];
