/** The job file's `notify:` section: defaults a user can rely on and mistakes it refuses. */
import { describe, expect, it } from 'vitest';
import { notifySettingsSchema } from '../../src/notify/settings.js';

describe('notify settings', () => {
  it('defaults to both triggers, STARTTLS on 587 and a 30 s limit', () => {
    const settings = notifySettingsSchema.parse({
      email: { to: 'noc@example.net', from: 'netops <netops@example.net>', host: 'smtp.example.net' },
    });
    expect(settings.on).toEqual(['failure', 'change']);
    expect(settings.email).toEqual({
      to: ['noc@example.net'],
      from: 'netops <netops@example.net>',
      host: 'smtp.example.net',
      port: 587,
      secure: false,
      starttls: true,
      timeout: 30_000,
    });
  });

  it('uses port 465 for SMTPS and keeps secret references as references', () => {
    const settings = notifySettingsSchema.parse({
      email: {
        to: ['a@example.net'],
        from: 'n@example.net',
        host: 'smtp',
        secure: true,
        auth: { user: 'n', pass: { env: 'SMTP_PASS' } },
      },
      webhook: {
        url: 'https://hooks.example.net/x',
        headers: { Authorization: { file: '/etc/netops/hook' } },
      },
    });
    expect(settings.email?.port).toBe(465);
    expect(settings.email?.auth?.pass).toEqual({ env: 'SMTP_PASS' });
    expect(settings.webhook?.headers).toEqual({ Authorization: { file: '/etc/netops/hook' } });
    expect(settings.webhook?.timeout).toBe(10_000);
  });

  it('refuses bad addresses, unknown triggers and non-HTTP URLs', () => {
    const issues = (value: unknown) =>
      notifySettingsSchema.safeParse(value).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ email: { to: 'noc', from: 'n@example.net', host: 'h' } })).toEqual(['email.to']);
    expect(issues({ on: ['always'] })).toEqual(['on.0']);
    expect(issues({ webhook: { url: 'ftp://example.net/x' } })).toEqual(['webhook.url']);
  });
});
