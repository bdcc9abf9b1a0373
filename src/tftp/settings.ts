/**
 * The `tftp:` section of a job file: where the hosted server listens, which server address devices
 * are told to use per family, and its limits. Defaults: dual-stack `[::]:69` (the port devices
 * assume; binding it needs root or CAP_NET_BIND_SERVICE), 60 s for an upload to start.
 */
import { z } from 'zod';
import { parseAddress, normalizeAddress } from '../net/address.js';
import { parseCidr } from '../net/cidr.js';
import { parseEndpoint } from '../net/endpoint.js';
import type { TftpServerOptions } from './server.js';

export const DEFAULT_TFTP_PORT = 69;

const endpoint = z.string().transform((text, ctx) => {
  try {
    return parseEndpoint(text, DEFAULT_TFTP_PORT);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

const familyAddress = (family: 4 | 6) =>
  z
    .string()
    .refine((text) => parseAddress(text)?.family === family, { message: `expected an IPv${family} address` })
    .transform((text) => normalizeAddress(text) as string);

const cidr = z.string().refine(
  (text) => {
    try {
      parseCidr(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an address prefix such as 10.0.0.0/8 or 2001:db8::/32' },
);

export const tftpSettingsSchema = z.strictObject({
  /** `ADDR`, `ADDR:PORT` or `[V6]:PORT`; a bare address listens on port 69. */
  listen: z.array(endpoint).min(1).prefault(['[::]:69']),
  /** The server address devices are told to upload to, per family of the device's address. */
  advertise: z
    .strictObject({ ipv4: familyAddress(4).optional(), ipv6: familyAddress(6).optional() })
    .default({}),
  /** Seconds a device has to start its upload after being told to. */
  timeout: z.number().positive().max(3600).default(60),
  maxTransfers: z.int().min(1).max(10_000).default(1024),
  maxFileBytes: z
    .int()
    .min(1)
    .max(2 ** 31)
    .default(64 * 2 ** 20),
  /** Address prefixes allowed to talk to the server at all. */
  allow: z.array(cidr).optional(),
});

export type TftpSettings = z.output<typeof tftpSettingsSchema>;
export type TftpSettingsInput = z.input<typeof tftpSettingsSchema>;

/** Server options for a job run (job mode: no root, only expected transfers). */
export function serverOptionsFrom(settings: TftpSettings): TftpServerOptions {
  return {
    listen: settings.listen,
    maxTransfers: settings.maxTransfers,
    maxFileBytes: settings.maxFileBytes,
    ...(settings.allow ? { allow: settings.allow } : {}),
  };
}
