/**
 * The job's `queue:` section: where a run's hosts go instead of running here (`netops run --queue`
 * says the same for one run), and how long a site may go without a worker before its hosts fail.
 *
 *   queue:
 *     url: redis://10.0.0.5:6379   # or rediss:// (TLS); never a password here (NETOPS_QUEUE_PASSWORD)
 *     site_timeout: 30             # seconds a site may have no live worker before its hosts fail
 */
import { z } from 'zod';

export const queueSettingsSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected a redis:// or rediss:// URL' })
    .refine((url) => !/^rediss?:\/\/[^/@]*:[^/@]*@/.test(url), {
      error: 'a password in the queue URL would be written to the job file and to logs',
    }),
  site_timeout: z.number().positive().max(86_400).default(30),
});

export type QueueSettings = z.infer<typeof queueSettingsSchema>;
