/** Webhook alerts against a real node:http server on loopback: the JSON and headers it receives. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/config/model.js';
import { isNetopsError } from '../../src/core/errors.js';
import { buildAlert, type AlertInput } from '../../src/notify/message.js';
import { notifySettingsSchema } from '../../src/notify/settings.js';
import { postWebhook } from '../../src/notify/webhook.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Answers every request with `status`, or never answers when `status` is 0. */
async function receiver(status: number): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      if (status > 0) response.writeHead(status).end('{}');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/T0KEN-IN-PATH`, received };
}

const secret = async (ref: SecretRef) =>
  'env' in ref && ref.env === 'HOOK_AUTH' ? 'Bearer hook-secret-123' : '';

const input: AlertInput = {
  job: 'nightly-backup',
  startedAt: '2026-11-23T02:00:00.000Z',
  counts: { ok: 10, changed: 1, failed: 1, skipped: 0 },
  failed: [
    {
      host: 'sw9',
      step: 'backup',
      code: 'TFTP_NO_UPLOAD',
      message: 'no upload within 60 s',
      hint: 'Check routing.',
    },
  ],
  changed: [
    {
      host: 'r1',
      diff: '--- a/configs/r1.cfg\n+++ b/configs/r1.cfg\n@@ -1 +1 @@\n-hostname r0\n+hostname r1\n',
    },
  ],
};

function webhookSettings(url: string, extra: Record<string, unknown> = {}) {
  const settings = notifySettingsSchema.parse({ webhook: { url, ...extra } });
  if (!settings.webhook) throw new Error('no webhook settings');
  return settings.webhook;
}

describe('webhook alerts', () => {
  it('POSTs the alert as JSON with the configured headers, secrets resolved', async () => {
    const { url, received } = await receiver(204);
    const alert = buildAlert(input);
    if (!alert) throw new Error('expected an alert');
    const settings = webhookSettings(url, {
      headers: { Authorization: { env: 'HOOK_AUTH' }, 'X-Team': 'noc' },
    });
    expect(await postWebhook(settings, alert.payload, secret)).toEqual({ status: 204 });

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hooks/T0KEN-IN-PATH');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer hook-secret-123');
    expect(request?.headers['x-team']).toBe('noc');
    expect(request?.body).toEqual({
      job: 'nightly-backup',
      subject: 'netops nightly-backup: 1 failed (sw9), 1 changed (r1)',
      startedAt: '2026-11-23T02:00:00.000Z',
      aborted: false,
      counts: { ok: 10, changed: 1, failed: 1, skipped: 0 },
      failed: input.failed,
      warnings: [],
      changed: [{ host: 'r1', diff: input.changed[0]?.diff, omittedLines: 0 }],
      stale: [],
      links: [],
    });
  });

  it('reports a refused delivery with the status and the origin only (the path may hold a token)', async () => {
    const { url } = await receiver(403);
    const error = await postWebhook(webhookSettings(url), { test: true }, secret).catch((e: unknown) => e);
    expect(isNetopsError(error, 'NOTIFY_FAILED')).toBe(true);
    const { message, hint, transient } = error as { message: string; hint: string; transient: boolean };
    expect(message).toBe(`webhook POST to ${new URL(url).origin} answered 403 Forbidden`);
    expect(hint).toMatch(/credentials in notify\.webhook\.headers/);
    expect(transient).toBe(false);
  });

  it('gives up on a receiver that never answers, at the configured timeout', async () => {
    const { url, received } = await receiver(0);
    const error = await postWebhook(webhookSettings(url, { timeout: '300ms' }), { test: true }, secret).catch(
      (e: unknown) => e,
    );
    expect(received).toHaveLength(1);
    expect(isNetopsError(error, 'NOTIFY_FAILED')).toBe(true);
    expect((error as Error).message).toBe(
      `webhook POST to ${new URL(url).origin} failed: no answer within 300 ms`,
    );
    expect((error as { transient: boolean }).transient).toBe(true);
  });
});
