/**
 * The `notify:` section of a job file.
 *
 * ```yaml
 * notify:
 *   on: [failure, change]            # default: both
 *   email:
 *     to: [noc@example.net]
 *     from: netops@example.net
 *     host: smtp.example.net         # port 587 with STARTTLS by default
 *     auth: { user: netops, pass: { env: SMTP_PASSWORD } }
 *   webhook:
 *     url: https://hooks.example.net/netops
 *     headers: { Authorization: { env: HOOK_AUTH } }
 * ```
 */
import { z } from 'zod';
import { secretRefSchema } from '../config/inventory-schema.js';
import { durationSchema } from '../config/job-schema.js';
import type { SecretRef } from '../config/model.js';

/** A plain string is accepted as the secret itself (as in the inventory); prefer `{ env }` or `{ file }`. */
const secretRef = secretRefSchema.transform((raw): SecretRef =>
  typeof raw === 'string' ? { value: raw } : raw,
);

/** Header values: plain text, or a secret reference for tokens. */
const headerValue = secretRefSchema.transform((raw): string | SecretRef => raw);

const emailSchema = z
  .strictObject({
    to: z
      .union([z.email(), z.array(z.email()).min(1)], { error: 'expected an email address or a list of them' })
      .transform((to) => (typeof to === 'string' ? [to] : to)),
    from: z.string().regex(/^(?:[^<>]+ <[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
      message: 'expected an address or "Name <address>"',
    }),
    host: z.string().min(1),
    /** @default 465 with `secure`, else 587 */
    port: z.int().min(1).max(65535).optional(),
    /** TLS from the first byte (SMTPS, port 465). */
    secure: z.boolean().default(false),
    /** Without `secure`: require the STARTTLS upgrade; `false` talks plain SMTP (a local relay on port 25). */
    starttls: z.boolean().default(true),
    auth: z.strictObject({ user: z.string().min(1), pass: secretRef }).optional(),
    /** Limit for connecting, the greeting and each reply. */
    timeout: durationSchema.default(30_000),
  })
  .transform((email) => ({ ...email, port: email.port ?? (email.secure ? 465 : 587) }));

const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  headers: z.record(z.string().min(1), headerValue).default({}),
  timeout: durationSchema.default(10_000),
});

export const notifySettingsSchema = z.strictObject({
  /** What is worth an alert: a failed host, a changed config, or both. */
  on: z
    .array(z.enum(['failure', 'change']))
    .min(1)
    .default(['failure', 'change']),
  /** Lines of diff shown per changed host; 0 shows none. */
  diffLines: z.int().min(0).max(100_000).default(200),
  email: emailSchema.optional(),
  webhook: webhookSchema.optional(),
});

export type NotifySettings = z.output<typeof notifySettingsSchema>;
export type NotifySettingsInput = z.input<typeof notifySettingsSchema>;
export type EmailSettings = z.output<typeof emailSchema>;
export type WebhookSettings = z.output<typeof webhookSchema>;
export type AlertTrigger = NotifySettings['on'][number];

/** Fetches a secret's value when a channel needs it (the runner's `ctx.secret`). */
export type SecretResolver = (ref: SecretRef) => Promise<string>;
