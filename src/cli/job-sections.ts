/** Job file sections owned by other layers, by name, one line each (validated at load time). */
import type { z } from 'zod';
import { notifySettingsSchema } from '../notify/settings.js';
import { storeSettingsSchema } from '../store/settings.js';
import { tftpSettingsSchema } from '../tftp/settings.js';

export const jobSections: Readonly<Record<string, z.ZodType>> = {
  tftp: tftpSettingsSchema,
  store: storeSettingsSchema,
  notify: notifySettingsSchema,
};
