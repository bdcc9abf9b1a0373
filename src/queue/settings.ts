/**
 * The job's `queue:` section: where a run's hosts go instead of running here (`netops run --queue`
 * says the same for one run), how to reach a TLS Redis, and how long a site may go without a worker
 * before its hosts fail. Each file is relative to the job file; a `--queue-*` flag overrides it.
 *
 *   queue:
 *     url: rediss://10.0.0.5:6379  # or redis://; never a password here (NETOPS_QUEUE_PASSWORD)
 *     password_file: redis.pass    # else NETOPS_QUEUE_PASSWORD
 *     ca: redis-ca.pem             # the CA that signed the server's certificate (default: the system's)
 *     cert: netops.pem             # client certificate and its key, when the server asks for one
 *     key: netops-key.pem
 *     site_timeout: 30             # seconds a site may have no live worker before its hosts fail
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SectionCheck } from '../config/job.js';

export const queueSettingsSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected a redis:// or rediss:// URL' })
    .refine((url) => !/^rediss?:\/\/[^/@]*:[^/@]*@/.test(url), {
      error: 'a password in the queue URL would be written to the job file and to logs',
    }),
  password_file: z.string().min(1).optional(),
  ca: z.string().min(1).optional(),
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  site_timeout: z.number().positive().max(86_400).default(30),
});

export type QueueSettings = z.infer<typeof queueSettingsSchema>;

const queueFiles = ['password_file', 'ca', 'cert', 'key'] as const;

/** The section's files, resolved against the job's folder (absent ones left out). */
export function queueSettingsFiles(
  settings: QueueSettings,
  jobDir: string,
): Partial<Record<(typeof queueFiles)[number], string>> {
  const files: Partial<Record<(typeof queueFiles)[number], string>> = {};
  for (const name of queueFiles) {
    const file = settings[name];
    if (file !== undefined) files[name] = path.resolve(jobDir, file);
  }
  return files;
}

/**
 * Checked when the job is loaded, before Redis or any device is contacted: each file can be read,
 * and a client certificate comes with its key.
 */
export const checkQueueSettings: SectionCheck = async (value, jobDir) => {
  const settings = value as QueueSettings;
  if ((settings.cert === undefined) !== (settings.key === undefined)) {
    return {
      path: [settings.cert === undefined ? 'key' : 'cert'],
      message: 'a client certificate needs its key, and a key its certificate',
      hint: 'Give both queue.cert and queue.key (PEM files), or neither.',
    };
  }
  for (const [name, file] of Object.entries(queueSettingsFiles(settings, jobDir))) {
    const unreadable = await access(file, constants.R_OK).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code ?? 'unreadable',
    );
    if (unreadable) {
      return {
        path: [name],
        message: `cannot read ${file} (${unreadable})`,
        hint: 'Paths in a job file are relative to the job file; check the path and that this user may read it.',
      };
    }
  }
  return undefined;
};
