/**
 * One call at the end of a run: build the alert and deliver it through every configured channel.
 * A failing channel does not stop the other; delivery errors are returned for the run's output.
 */
import { toNetopsError, type NetopsError } from '../core/errors.js';
import { buildAlert, type Alert, type AlertInput } from './message.js';
import type { NotifySettings, SecretResolver } from './settings.js';
import { postWebhook } from './webhook.js';

export interface AlertDelivery {
  /** Undefined when nothing was worth an alert. */
  readonly alert: Alert | undefined;
  /** Channels that took the alert: 'email', 'webhook'. */
  readonly delivered: string[];
  readonly errors: NetopsError[];
}

export async function sendAlerts(
  input: AlertInput,
  settings: NotifySettings,
  secret: SecretResolver,
): Promise<AlertDelivery> {
  const alert = buildAlert(input, { on: settings.on, diffLines: settings.diffLines });
  if (!alert) return { alert, delivered: [], errors: [] };
  const channels: Array<[string, () => Promise<unknown>]> = [];
  const { email, webhook } = settings;
  // Every run loads this module (cli/alerts.ts); nodemailer, 39 modules, only a run that mails.
  if (email)
    channels.push(['email', async () => (await import('./email.js')).sendEmail(email, alert, secret)]);
  if (webhook) channels.push(['webhook', () => postWebhook(webhook, alert.payload, secret)]);
  const outcomes = await Promise.allSettled(channels.map(([, send]) => send()));
  const delivered: string[] = [];
  const errors: NetopsError[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') delivered.push(channels[i]?.[0] ?? '');
    else errors.push(toNetopsError(outcome.reason));
  });
  return { alert, delivered, errors };
}
