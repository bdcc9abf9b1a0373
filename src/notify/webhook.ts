/**
 * Posts an alert as JSON. Webhook URLs often carry their token in the path, so errors name only
 * the URL's origin; header values may be secret references (an Authorization token).
 */
import { NetopsError } from '../core/errors.js';
import type { SecretResolver, WebhookSettings } from './settings.js';

export async function postWebhook(
  settings: WebhookSettings,
  payload: unknown,
  secret: SecretResolver,
): Promise<{ status: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'netops' };
  for (const [name, value] of Object.entries(settings.headers)) {
    headers[name.toLowerCase()] = typeof value === 'string' ? value : await secret(value);
  }
  const origin = new URL(settings.url).origin;
  let response: Response;
  try {
    response = await fetch(settings.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(settings.timeout),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = timedOut
      ? `no answer within ${settings.timeout} ms`
      : String(cause?.code ?? cause?.message ?? (error as Error).message);
    throw new NetopsError('NOTIFY_FAILED', `webhook POST to ${origin} failed: ${reason}`, {
      hint: 'Check notify.webhook.url and that the receiver is reachable from this machine.',
      transient: true,
    });
  }
  await response.body?.cancel();
  if (!response.ok) {
    throw new NetopsError(
      'NOTIFY_FAILED',
      `webhook POST to ${origin} answered ${response.status} ${response.statusText}`,
      {
        hint:
          response.status === 401 || response.status === 403
            ? 'Check the credentials in notify.webhook.headers.'
            : 'Check notify.webhook.url and what the receiver expects.',
        transient: response.status >= 500 || response.status === 429,
        details: { status: response.status },
      },
    );
  }
  return { status: response.status };
}
