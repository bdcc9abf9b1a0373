/**
 * Alerts by email to a real SMTP server on loopback: the mail a tired engineer gets after a night
 * with a rejected config, a silent device and a changed config, built from real store diffs.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/config/model.js';
import { isNetopsError } from '../../src/core/errors.js';
import { sendEmail } from '../../src/notify/email.js';
import { buildAlert, type AlertInput } from '../../src/notify/message.js';
import { sendAlerts } from '../../src/notify/send.js';
import { notifySettingsSchema } from '../../src/notify/settings.js';
import { GitStore } from '../../src/store/git-store.js';
import { configPath } from '../../src/store/paths.js';
import { prepareConfig, rejectHints } from '../../src/store/prepare.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { startSmtpSink } from './smtp-sink.js';
import { closedTcpPort } from '../helpers/tcp-listener.js';

const SMTP_PASS = 'Smtp-P4ss-never-shown';
const secretValues: Record<string, string> = { NETOPS_SMTP_PASS: SMTP_PASS };
const secret = async (ref: SecretRef) => ('env' in ref ? (secretValues[ref.env] ?? '') : '');

const fixture = readFileSync(new URL('../store/fixtures/ios-running-config.txt', import.meta.url), 'utf8');
/** Secret values planted in the fixture and in the night's change. */
const planted = [
  'PublicCommunity',
  '094F471A1A0A',
  '$1$mERr$hx5rVt7rPNoS4wqbXKX7m0',
  'LineVtyPlain',
  '$9$NewAdminHash',
];

const sink = useStarted(() => startSmtpSink('netops', SMTP_PASS));
const storeDir = useTempDir('netops-alert-');
let night: AlertInput;

function prepared(raw: string): string {
  const result = prepareConfig(raw, iosRules);
  if (!result.ok) throw new Error(result.reason);
  return result.content;
}

beforeAll(async () => {
  const store = await GitStore.open({ dir: storeDir });
  await store.write(configPath('r1'), prepared(fixture));
  await store.commit({
    job: 'nightly-backup',
    startedAt: '2026-11-22T02:00:00Z',
    counts: { ok: 0, changed: 1, failed: 0, skipped: 0 },
    failedHosts: [],
    aborted: false,
  });

  // The next night: r1 gained an admin and a new uplink description; r2 sent half a config.
  const r1 = fixture
    .replace(' description uplink, see password policy doc', ' description uplink to core-2')
    .replace(
      'username viewer nopassword',
      'username viewer nopassword\nusername newadmin secret 9 $9$NewAdminHash',
    );
  const { diff } = await (await GitStore.open({ dir: storeDir })).write(configPath('r1'), prepared(r1));
  const truncated = prepareConfig(fixture.slice(0, fixture.length / 2), iosRules);
  if (truncated.ok) throw new Error('expected a rejection');
  night = {
    job: 'nightly-backup',
    startedAt: '2026-11-23T02:00:00.000Z',
    finishedAt: '2026-11-23T02:03:10.000Z',
    counts: { ok: 196, changed: 1, failed: 2, skipped: 0 },
    failed: [
      {
        host: 'r2',
        step: 'backup',
        code: 'CONFIG_REJECTED',
        message: `config rejected (${truncated.code}): ${truncated.reason}; kept aside as rejected/configs/r2.cfg`,
        hint: rejectHints[truncated.code],
      },
      {
        host: 'sw9',
        step: 'backup',
        code: 'TFTP_NO_UPLOAD',
        message: 'no upload of sw9.cfg from 2001:db8::9 within 60 s',
        hint: 'Check that the device can reach the TFTP server address it was given.',
      },
    ],
    changed: [{ host: 'r1', diff }],
    links: [`store: ${storeDir}`],
  };
});

function emailSettings(overrides: Record<string, unknown> = {}) {
  const settings = notifySettingsSchema.parse({
    email: {
      to: ['noc@example.net', 'oncall@example.net'],
      from: 'netops <netops@example.net>',
      host: '127.0.0.1',
      port: sink.port,
      starttls: false,
      auth: { user: 'netops', pass: { env: 'NETOPS_SMTP_PASS' } },
      timeout: 5,
      ...overrides,
    },
  });
  if (!settings.email) throw new Error('no email settings');
  return settings.email;
}

describe('email alerts', () => {
  it('delivers failed hosts with reason and hint, and changed hosts with their diffs, and no secret', async () => {
    const alert = buildAlert(night);
    if (!alert) throw new Error('expected an alert');
    const before = sink.received.length;
    const receipt = await sendEmail(emailSettings(), alert, secret);
    expect(receipt.accepted).toEqual(['noc@example.net', 'oncall@example.net']);

    const mail = sink.received[before];
    expect(mail?.user).toBe('netops');
    expect(mail?.from).toBe('netops@example.net');
    expect(mail?.subject).toBe('netops nightly-backup: 2 failed (r2, sw9), 1 changed (r1)');
    const text = mail?.text ?? '';
    expect(text).toContain('netops nightly-backup: 2 failed, 1 changed, 196 unchanged');
    expect(text).toContain('r2  backup  CONFIG_REJECTED');
    expect(text).toMatch(
      /config rejected \(TRUNCATED\): the config stops after line \d+ without its closing line/,
    );
    expect(text).toContain(`hint: ${rejectHints.TRUNCATED}`);
    expect(text).toContain(
      'sw9  backup  TFTP_NO_UPLOAD\n  no upload of sw9.cfg from 2001:db8::9 within 60 s',
    );
    expect(text).toContain('--- a/configs/r1.cfg\n+++ b/configs/r1.cfg\n@@ ');
    expect(text).toContain('+username newadmin secret 9 <removed>');
    expect(text).toContain('- description uplink, see password policy doc\n+ description uplink to core-2');
    for (const value of [...planted, SMTP_PASS]) expect(mail?.raw).not.toContain(value);
  });

  it('fails with NOTIFY_FAILED naming the server, never the password, when the login is refused', async () => {
    const wrong = { ...emailSettings(), auth: { user: 'netops', pass: { env: 'WRONG' } } };
    secretValues.WRONG = 'Wrong-P4ss-not-in-error';
    const error = await sendEmail(
      wrong,
      buildAlert(night) as NonNullable<ReturnType<typeof buildAlert>>,
      secret,
    ).catch((e: unknown) => e);
    expect(isNetopsError(error, 'NOTIFY_FAILED')).toBe(true);
    const { message, hint } = error as { message: string; hint: string };
    expect(message).toContain(`via 127.0.0.1:${sink.port} failed`);
    expect(hint).toMatch(/notify\.email\.auth/);
    expect(`${message} ${hint}`).not.toContain('Wrong-P4ss-not-in-error');
  });

  it('refuses to send in clear text when STARTTLS is required and the server does not offer it', async () => {
    const error = await sendEmail(
      emailSettings({ starttls: true }),
      buildAlert(night) as NonNullable<ReturnType<typeof buildAlert>>,
      secret,
    ).catch((e: unknown) => e);
    expect(isNetopsError(error, 'NOTIFY_FAILED')).toBe(true);
  });

  it('delivers through the channels that work when another one fails', async () => {
    const closed = await closedTcpPort();
    const closedPort = closed.port;
    const settings = notifySettingsSchema.parse({
      email: {
        to: 'noc@example.net',
        from: 'netops@example.net',
        host: '127.0.0.1',
        port: sink.port,
        starttls: false,
        auth: { user: 'netops', pass: { env: 'NETOPS_SMTP_PASS' } },
      },
      webhook: { url: `http://127.0.0.1:${closedPort}/hook/SECRET-TOKEN`, timeout: 5 },
    });
    const before = sink.received.length;
    const result = await sendAlerts(night, settings, secret).finally(() => closed.close());
    expect(result.delivered).toEqual(['email']);
    expect(result.errors.map((e) => e.code)).toEqual(['NOTIFY_FAILED']);
    expect(result.errors[0]?.message).toContain(
      `webhook POST to http://127.0.0.1:${closedPort} failed: ECONNREFUSED`,
    );
    expect(result.errors[0]?.message).not.toContain('SECRET-TOKEN');
    expect(sink.received.length).toBe(before + 1);
  });
});
