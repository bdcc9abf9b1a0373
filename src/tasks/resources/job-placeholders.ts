/**
 * What a job's backups put in place of a secret: the keyed-hash placeholder of the job's store
 * (its key read or made once per run, `store/placeholder-key.ts`), or `<removed>` when the job
 * says `store.placeholders: removed` or does not sanitize at all.
 */
import { keyedPlaceholder, placeholderKey } from '../../store/placeholder-key.js';
import type { StoreSettings } from '../../store/settings.js';
import type { JobSettings, TaskContext } from '../task.js';
import { storeDir } from './job-store.js';

/** The placeholder function for the job's store, or undefined for the plain `<removed>`. */
export async function jobPlaceholder(
  ctx: TaskContext,
  settings: StoreSettings,
): Promise<((secret: string) => string) | undefined> {
  if (!settings.sanitize || settings.placeholders !== 'keyed') return undefined;
  const dir = storeDir(ctx.job.dir, settings);
  const opened = await ctx.resource(`placeholder-key:${dir}`, async () => ({
    placeholder: keyedPlaceholder(await placeholderKey(dir)),
    close: async () => undefined,
  }));
  return opened.placeholder;
}

/**
 * Makes the store's key now if the job's backups use one: hosts run elsewhere (queue workers, a
 * run's worker threads) only read it, so every host's placeholders use the same key.
 */
export async function ensurePlaceholderKey(job: {
  readonly dir: string;
  readonly settings: JobSettings;
}): Promise<void> {
  const store = job.settings['store'] as StoreSettings | undefined;
  if (!store?.sanitize || store.placeholders !== 'keyed') return;
  await placeholderKey(storeDir(job.dir, store));
}
