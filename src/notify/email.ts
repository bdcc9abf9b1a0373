/**
 * Sends an alert by email through nodemailer: SMTPS (`secure`), required STARTTLS (the default) or
 * plain SMTP for a local relay. The password is fetched only to log in and is scrubbed from any
 * error text.
 */
import nodemailer from 'nodemailer';
import { NetopsError } from '../core/errors.js';
import type { Alert } from './message.js';
import type { EmailSettings, SecretResolver } from './settings.js';

export interface EmailReceipt {
  readonly messageId: string;
  readonly accepted: string[];
}

export async function sendEmail(
  settings: EmailSettings,
  alert: Alert,
  secret: SecretResolver,
): Promise<EmailReceipt> {
  const pass = settings.auth ? await secret(settings.auth.pass) : undefined;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure && settings.starttls,
    ignoreTLS: !settings.secure && !settings.starttls,
    ...(settings.auth && pass !== undefined ? { auth: { user: settings.auth.user, pass } } : {}),
    connectionTimeout: settings.timeout,
    greetingTimeout: settings.timeout,
    socketTimeout: settings.timeout,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: [...settings.to],
      subject: alert.subject,
      text: alert.text,
    });
    return { messageId: info.messageId, accepted: info.accepted.map(String) };
  } catch (error) {
    throw emailError(settings, error, pass);
  } finally {
    transport.close();
  }
}

/** nodemailer error codes: https://nodemailer.com/smtp/ (EAUTH, ECONNECTION, ETIMEDOUT, ETLS, ...). */
function emailError(settings: EmailSettings, error: unknown, pass: string | undefined): NetopsError {
  const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
  const scrubbed = (message ?? String(error)).split(pass || '\0').join('********');
  const where = `${settings.host}:${settings.port}`;
  const hints: Record<string, string> = {
    EAUTH: 'Check notify.email.auth: the user name and the secret it references.',
    ECONNECTION: `Check notify.email.host and port, and that ${where} accepts SMTP from this machine.`,
    ETIMEDOUT: `Check that ${where} is reachable from this machine and answers within the timeout.`,
    ETLS: 'Check secure (SMTPS on 465) and starttls (587) against what the server offers.',
    EENVELOPE: 'Check the notify.email.to and from addresses.',
  };
  const transient =
    code === 'ECONNECTION' ||
    code === 'ETIMEDOUT' ||
    code === 'ESOCKET' ||
    Math.floor((responseCode ?? 0) / 100) === 4;
  return new NetopsError(
    'NOTIFY_FAILED',
    `email to ${settings.to.join(', ')} via ${where} failed: ${scrubbed}`,
    {
      hint: hints[code ?? ''] ?? 'Check the notify.email settings against the SMTP server.',
      transient,
      details: { code, responseCode },
    },
  );
}
