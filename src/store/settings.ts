/**
 * The `store:` section of a job file.
 *
 * ```yaml
 * store:
 *   dir: /var/lib/netops/backups
 *   author: { name: netops, email: netops@example.net }
 *   sanitize: true          # mask secrets (default)
 *   allowShrink: [r7]       # or true: accept configs less than half their last size
 * ```
 */
import { z } from 'zod';
import { namePattern } from '../config/inventory-schema.js';

export const storeSettingsSchema = z.strictObject({
  /** The git repository, relative to the job file's folder. */
  dir: z.string().min(1),
  author: z.strictObject({ name: z.string().min(1), email: z.string().min(3) }).optional(),
  /** Mask secrets before storing; `false` puts passwords and keys into git history. */
  sanitize: z.boolean().default(true),
  /** Hosts whose config may shrink by more than half, or `true` for all. */
  allowShrink: z
    .union([z.boolean(), z.array(z.string().regex(namePattern, { message: 'expected a host name' }))], {
      error: 'expected true, false or a list of host names',
    })
    .default(false),
});

export type StoreSettings = z.output<typeof storeSettingsSchema>;
export type StoreSettingsInput = z.input<typeof storeSettingsSchema>;

/** Whether the shrink check is off for `host`, from the job setting or `--accept-shrink HOST`. */
export function shrinkAllowed(
  settings: StoreSettings,
  host: string,
  accepted: readonly string[] = [],
): boolean {
  if (accepted.includes(host)) return true;
  return (
    settings.allowShrink === true ||
    (Array.isArray(settings.allowShrink) && settings.allowShrink.includes(host))
  );
}
