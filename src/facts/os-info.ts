/**
 * The OS and version a device runs, as parsed from its sysDescr or its `show version`: part of the
 * stored facts, produced by the platforms' patterns and read by reports.
 */
import { z } from 'zod';

export interface OsInfo {
  /** `ios`, `ios-xe`, `nx-os`, `linux`, or `unknown`. */
  readonly name: string;
  readonly version?: string;
  /** Image or software family, e.g. `C2900-UNIVERSALK9-M`, `n7000-s2-dk9`, `CAT9K_IOSXE`. */
  readonly image?: string;
  /** Platform the device names, e.g. `C2900`, `n7000`, `Nexus9000 C93180YC-EX`, `x86_64`. */
  readonly platform?: string;
}

/** The stored form of OsInfo (`os` in facts/HOST.json). */
export const osInfoSchema = z.object({
  name: z.string(),
  version: z.string().optional(),
  image: z.string().optional(),
  platform: z.string().optional(),
});
