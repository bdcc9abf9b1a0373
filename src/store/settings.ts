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
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { namePattern } from '../config/inventory-schema.js';
import { notAFolder, type SectionCheck } from '../config/job.js';

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

/**
 * Checked when the job is loaded, before any device is contacted: the store can be a new folder, an
 * empty one or a git repository, never a file or a folder holding other things.
 */
export const checkStoreSettings: SectionCheck = async (value, jobDir) => {
  const dir = path.resolve(jobDir, (value as StoreSettings).dir);
  const hint = 'Point store.dir at an empty or new folder, or at a git repository made for the backups.';
  const problem = await notAFolder(dir);
  if (problem) return { path: ['dir'], message: problem, hint };
  const entries = await readdir(dir).catch((): string[] => []);
  if (entries.length > 0 && !entries.includes('.git')) {
    return {
      path: ['dir'],
      message: `the store folder ${dir} is not empty and is not a git repository`,
      hint,
    };
  }
  return undefined;
};
