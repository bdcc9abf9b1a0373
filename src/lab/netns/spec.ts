/**
 * The netns lab spec (YAML): which devices, of which platform, with which link impairments, and an
 * optional scale namespace. Simulated ios/nxos devices take the loopback lab's knobs (size, seed,
 * credentials); frr devices are real FRR/OpenSSH/snmpd/telnetd and peer over BGP with a neighbour.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { NetopsError } from '../../core/errors.js';
import { impairmentSchema } from '../impair/impairment.js';

const deviceSchema = z
  .object({
    /** Inventory name and hostname; also part of the namespace name. */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes, starting with a letter'),
    platform: z.enum(['ios', 'nxos', 'frr']),
    /** Simulated devices: `ip tftp source-interface Loopback0` in the generated config. */
    tftpSourceLoopback: z.boolean().default(false),
    /** frr: the AS number; neighbours are other frr devices of the lab, by name. */
    asn: z.number().int().min(1).max(4_294_967_295).optional(),
    bgpNeighbors: z.array(z.string()).default([]),
    /** Delay, jitter, loss, duplication, reordering of the device's link, per direction (docs/lab-impairment.md). */
    impair: impairmentSchema.optional(),
  })
  .strict();

export const netnsSpecSchema = z
  .object({
    devices: z.array(deviceSchema).max(500).default([]),
    username: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,30}$/)
      .default('admin'),
    password: z.string().min(1).default('lab-password'),
    enableSecret: z.string().default('lab-enable'),
    readCommunity: z.string().default('lab-ro'),
    writeCommunity: z.string().default('lab-rw'),
    seed: z.number().int().default(1),
    configBytes: z.number().int().min(5_000).max(500_000).default(8_000),
    /** Reload time of simulated devices. */
    bootMs: z.number().int().min(0).default(3000),
    /** One namespace with this many simulated device addresses, served by one process. */
    scale: z
      .object({
        devices: z.number().int().min(1).max(30_000),
        platforms: z
          .array(z.enum(['ios', 'nxos']))
          .min(1)
          .default(['ios']),
        /** Address families each scale device answers on (three sockets per device and family). */
        families: z
          .array(z.enum(['ipv4', 'ipv6']))
          .min(1)
          .default(['ipv4', 'ipv6']),
        /** Added before every response of each scale device, as the loopback lab's `faults.latencyMs` (benches). */
        latencyMs: z.number().int().min(0).max(60_000).default(0),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    spec.devices.forEach((device, i) => {
      if (names.has(device.name))
        ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'name'],
          message: `device name ${device.name} is used twice`,
        });
      names.add(device.name);
    });
    spec.devices.forEach((device, i) => {
      for (const neighbor of device.bgpNeighbors) {
        const peer = spec.devices.find((d) => d.name === neighbor);
        if (peer?.platform !== 'frr' || device.platform !== 'frr')
          ctx.addIssue({
            code: 'custom',
            path: ['devices', i, 'bgpNeighbors'],
            message: `${neighbor}: BGP neighbours must be frr devices of this lab`,
          });
      }
    });
  });

export type NetnsSpec = z.infer<typeof netnsSpecSchema>;
export type NetnsSpecInput = z.input<typeof netnsSpecSchema>;
export type NetnsDeviceSpec = NetnsSpec['devices'][number];

export function parseNetnsSpec(input: unknown, file = 'lab spec'): NetnsSpec {
  const result = netnsSpecSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
  throw new NetopsError('CONFIG_INVALID', `${file}: ${problems.join('; ')}`, {
    hint: 'Fix the lab spec; docs/lab-netns.md lists every field and docs/examples/lab-netns.yaml is a working example.',
    details: { problems },
  });
}

export async function loadNetnsSpec(file: string): Promise<NetnsSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new NetopsError(
      'CONFIG_UNREADABLE',
      `${file}: cannot read the lab spec: ${(error as Error).message}`,
      {
        hint: 'Pass an existing file with --spec, for example docs/examples/lab-netns.yaml.',
        cause: error,
      },
    );
  }
  return parseNetnsSpec(parse(text) as unknown, file);
}
