/**
 * The job's restore vault (`restore:` section) as a run resource, and the backup's hook that keeps
 * each stored config's unsanitized form in it (`keepForRestore`). Opened once per run, beside the
 * job's store; nothing to commit, so closing does nothing.
 */
import { readdir } from 'node:fs/promises';
import { toNetopsError } from '../../core/errors.js';
import { prepareConfig } from '../../store/prepare.js';
import type { SizeEvidence } from '../../store/completeness.js';
import type { ConfigRules } from '../../store/rules.js';
import { Vault } from '../../store/vault.js';
import { vaultLocation, type RestoreSettings } from '../../store/vault-settings.js';
import type { TaskContext } from '../task.js';
import { storeDir, storeSettings } from './job-store.js';

/** The job's `restore:` settings, or undefined when restore is not enabled. */
export function restoreSettings(settings: Readonly<Record<string, unknown>>): RestoreSettings | undefined {
  const raw = settings['restore'] as RestoreSettings | undefined; // validated at job load
  return raw && raw.enabled !== false ? raw : undefined;
}

/** Opens the job's vault: `write` (a backup) creates the key on first use; a restore never does. */
export async function jobVault(ctx: TaskContext, options: { write: boolean }): Promise<Vault | undefined> {
  const settings = restoreSettings(ctx.job.settings);
  if (!settings) return undefined;
  const store = storeDir(ctx.job.dir, storeSettings(ctx));
  const location = vaultLocation(ctx.job.dir, store, settings);
  const opened = await ctx.resource(`vault:${location.dir}:${options.write ? 'w' : 'r'}`, async () => {
    const vault = await Vault.open(location, store, options);
    const before = await readdir(location.dir).catch((): string[] => []);
    if (vault.keyCreated && before.length > 0) {
      ctx.warn?.(
        `the vault key ${location.keyFile} was missing, so a new one was made: the entries written before it cannot be decrypted with it (docs/restore.md, "Key loss")`,
      );
    }
    return { vault, close: async () => undefined };
  });
  return opened.vault;
}

/**
 * After the store wrote `sanitized` for the host: keep the unsanitized config (the same text,
 * volatile lines dropped, secrets kept) in the vault under that sanitized text's blob id. Restore
 * is a second line of defence, so a vault failure warns and never fails the backup.
 */
export async function keepForRestore(
  ctx: TaskContext,
  raw: string,
  rules: ConfigRules,
  sanitized: string,
  evidence?: SizeEvidence,
): Promise<void> {
  if (!restoreSettings(ctx.job.settings)) return;
  try {
    const vault = await jobVault(ctx, { write: true });
    const clear = prepareConfig(raw, rules, {
      sanitize: false,
      allowShrink: true,
      ...(evidence ? { evidence } : {}),
    });
    if (!vault || !clear.ok) return;
    const put = await vault.put(ctx.host.name, sanitized, clear.content);
    if (put.written) ctx.log(`kept the unsanitized copy in the vault as ${ctx.host.name}/${put.id}`);
  } catch (error) {
    const e = toNetopsError(error);
    ctx.warn?.(`this backup cannot be restored: the vault write failed (${e.code}: ${e.message}). ${e.hint}`);
  }
}
