/** Job file sections owned by other layers, by name, one line each (validated at load time). */
import type { z } from 'zod';
import type { SectionCheck } from '../config/job.js';
import { notifySettingsSchema } from '../notify/settings.js';
import { staleAfterSchema } from '../runner/stale-after.js';
import { platforms } from '../platforms/registry.js';
import { queueSettingsSchema } from '../queue/settings.js';
import { storeSettingsCheck, storeSettingsSchema } from '../store/settings.js';
import { restoreSettingsSchema } from '../store/vault-settings.js';
import { tftpSettingsSchema } from '../tftp/settings.js';

export const jobSections: Readonly<Record<string, z.ZodType>> = {
  tftp: tftpSettingsSchema,
  store: storeSettingsSchema,
  notify: notifySettingsSchema,
  restore: restoreSettingsSchema,
  alert_stale_after: staleAfterSchema,
  queue: queueSettingsSchema,
};

/** Checks of sections against the file system and the known platforms, before any device is contacted. */
export const jobSectionChecks: Readonly<Record<string, SectionCheck>> = {
  store: storeSettingsCheck(Object.keys(platforms)),
};
