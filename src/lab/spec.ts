/**
 * The compact lab spec (YAML): how many devices of which platforms, their size and credentials, and
 * per-device overrides (faults, config size). Everything has a default, so `{}` is a valid lab.
 */
import { z } from 'zod';

const faults = z
  .object({
    latencyMs: z.number().int().min(0).optional(),
    perByteUs: z.number().min(0).optional(),
    authFailure: z.boolean().optional(),
    hangAfterLogin: z.boolean().optional(),
    closeMidOutput: z.boolean().optional(),
    endlessPaging: z.boolean().optional(),
    wrongPrompt: z.boolean().optional(),
    changingPrompt: z.boolean().optional(),
    garbage: z.boolean().optional(),
    echo: z.enum(['none', 'line', 'slow']).optional(),
    banner: z.boolean().optional(),
    loginRetry: z.boolean().optional(),
    ansiPrompt: z.boolean().optional(),
    refuseTerminal: z.array(z.enum(['width', 'length'])).optional(),
    lineEnding: z.enum(['crlf', 'lf', 'lfcr']).optional(),
    chunkBytes: z.number().int().min(1).optional(),
    lastDoneHeader: z.boolean().optional(),
    tftp: z.enum(['truncated', 'never-sent']).optional(),
    snmp: z
      .object({ silent: z.boolean().optional(), delayMs: z.number().int().min(0).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const labSpecSchema = z
  .object({
    /** Number of devices; platforms are assigned round-robin. */
    devices: z.number().int().min(1).max(5000).default(2),
    platforms: z
      .array(z.enum(['ios', 'nxos']))
      .min(1)
      .default(['ios', 'nxos']),
    /** Device names are PREFIX + number (`r1`, `r2`, ...). */
    namePrefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,40}$/)
      .default('r'),
    seed: z.number().int().default(1),
    /** Size of each generated running-config. */
    configBytes: z.number().int().min(5_000).max(500_000).default(8_000),
    username: z.string().default('admin'),
    password: z.string().default('lab-password'),
    enableSecret: z.string().default('lab-enable'),
    readCommunity: z.string().default('lab-ro'),
    writeCommunity: z.string().default('lab-rw'),
    /** Reload time; short in tests. */
    bootMs: z.number().int().min(0).default(3000),
    /** `ip tftp source-interface Loopback0` in generated configs (triggers the IPv6 quirk). */
    tftpSourceLoopback: z.boolean().default(false),
    /** Port devices send TFTP to when a `tftp://` URL names none. */
    tftpPort: z.number().int().min(1).max(65535).default(69),
    /** Start an SNMP agent per device. */
    snmp: z.boolean().default(true),
    faults: faults.default({}),
    /** Per-device overrides by name. */
    overrides: z
      .record(
        z.string(),
        z.object({ faults: faults.optional(), configBytes: z.number().int().optional() }).strict(),
      )
      .default({}),
  })
  .strict();

export type LabSpec = z.infer<typeof labSpecSchema>;
export type LabSpecInput = z.input<typeof labSpecSchema>;
