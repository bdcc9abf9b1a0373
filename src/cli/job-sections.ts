/**
 * Job file sections owned by other layers, by name, one line each (validated at load time). Each
 * owner's schema loads with the first job that has its section: a job without `notify:` or `queue:`
 * never loads their schemas.
 */
import type { JobSection } from '../config/job.js';

export const jobSections: Readonly<Record<string, () => Promise<JobSection>>> = {
  tftp: async () => ({ schema: (await import('../tftp/settings.js')).tftpSettingsSchema }),
  store: async () => {
    const [settings, { platforms }] = await Promise.all([
      import('../store/settings.js'),
      import('../platforms/registry.js'),
    ]);
    // The noise rules' platform names are checked against the platforms netops knows.
    return {
      schema: settings.storeSettingsSchema,
      check: settings.storeSettingsCheck(Object.keys(platforms)),
    };
  },
  notify: async () => ({ schema: (await import('../notify/settings.js')).notifySettingsSchema }),
  restore: async () => ({ schema: (await import('../store/vault-settings.js')).restoreSettingsSchema }),
  alert_stale_after: async () => ({ schema: (await import('../runner/stale-after.js')).staleAfterSchema }),
  queue: async () => {
    const settings = await import('../queue/settings.js');
    return { schema: settings.queueSettingsSchema, check: settings.checkQueueSettings };
  },
};

/** Every section, loaded (the schema export). */
export async function loadJobSections(): Promise<Record<string, JobSection>> {
  const loaded = await Promise.all(
    Object.entries(jobSections).map(async ([name, load]) => [name, await load()] as const),
  );
  return Object.fromEntries(loaded);
}
