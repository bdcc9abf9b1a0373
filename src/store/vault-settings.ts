/**
 * The `restore:` section of a job file: keep each backup's unsanitized config, encrypted, beside
 * the store, so `netops restore` can put a device back to a stored revision (a masked config cannot
 * be installed: its placeholders would become the device's passwords).
 *
 * ```yaml
 * restore:
 *   enabled: true                       # default when the section is there
 *   vault: /var/lib/netops/backups.vault  # default: the store folder's path + `.vault`
 *   key: /etc/netops/vault.key          # default: STATE_DIR/vault-keys/<id of the vault folder>.key
 * ```
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { stateDir } from '../core/state-dir.js';

export const restoreSettingsSchema = z.strictObject({
  /** Keep encrypted unsanitized copies of every backup for `netops restore`. */
  enabled: z.boolean().default(true),
  /** Folder of the encrypted configs, relative to the job file; never inside the store. */
  vault: z.string().min(1).optional(),
  /** The key file (0600), relative to the job file; never inside the store or the vault. */
  key: z.string().min(1).optional(),
});

export type RestoreSettings = z.output<typeof restoreSettingsSchema>;

export interface VaultLocation {
  readonly dir: string;
  readonly keyFile: string;
}

/** Where the vault of a store and its key are, from the job's settings and the state dir. */
export function vaultLocation(
  jobDir: string,
  storeDir: string,
  settings: RestoreSettings,
  env: NodeJS.ProcessEnv = process.env,
): VaultLocation {
  const dir = settings.vault ? path.resolve(jobDir, settings.vault) : `${storeDir}.vault`;
  // One key per vault, found again from the vault's absolute path; the name reveals nothing of the key.
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  const keyFile = settings.key
    ? path.resolve(jobDir, settings.key)
    : path.join(stateDir(env), 'vault-keys', `${id}.key`);
  return { dir, keyFile };
}
