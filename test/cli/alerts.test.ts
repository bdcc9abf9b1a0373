/** `netops run` tells people: a failed host reaches the mailbox and the webhook with its reason and hint. */
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runNetops } from '../helpers/netops-cli.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { closedTcpPort, countingListener } from '../helpers/tcp-listener.js';
import { startSmtpSink } from '../notify/smtp-sink.js';

const dir = useTempDir('netops-alerts-');
const smtp = useStarted(() => startSmtpSink('netops', 'mail-secret-123'));
const device = useStarted(() => countingListener('127.0.0.1'));
const closed = useStarted(closedTcpPort);
let hooks: Server;
const posted: unknown[] = [];

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posted.push({ auth: req.headers['authorization'], body: JSON.parse(body) as unknown });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  await writeFile(
    path.join(dir, 'inventory.yaml'),
    `hosts:\n  good: { address: 127.0.0.1, port: ${device.port} }\n  bad: { address: 127.0.0.1, port: ${closed.port} }\n`,
  );
  await writeFile(
    path.join(dir, 'job.yaml'),
    `name: nightly
inventory: inventory.yaml
steps:
  - task: reachable
notify:
  email:
    to: noc@example.net
    from: netops <netops@example.net>
    host: 127.0.0.1
    port: ${smtp.port}
    starttls: false
    auth: { user: netops, pass: { env: SMTP_PASS } }
  webhook:
    url: http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook
    headers: { Authorization: { env: HOOK_TOKEN } }
`,
  );
});

afterAll(async () => {
  await new Promise((resolve) => hooks.close(resolve));
});

it('mails and posts the failed host with its reason and hint, and keeps the secrets out', async () => {
  const result = await runNetops(['run', 'job.yaml', '--quiet'], {
    cwd: dir,
    env: { SMTP_PASS: 'mail-secret-123', HOOK_TOKEN: 'Bearer hook-secret-456' },
  });
  expect(result.code).toBe(1);
  expect(smtp.received).toHaveLength(1);
  const mail = smtp.received[0]!;
  expect(mail.to).toEqual(['noc@example.net']);
  expect(mail.subject).toContain('nightly: 1 failed (bad)');
  expect(mail.text).toContain('CONNECT_REFUSED');
  expect(mail.text).toContain('Each listed address and port must accept a connection');
  expect(mail.text).not.toContain('mail-secret-123');
  expect(posted).toHaveLength(1);
  expect(posted[0]).toMatchObject({
    auth: 'Bearer hook-secret-456',
    body: { job: 'nightly', failed: [{ host: 'bad', code: 'CONNECT_REFUSED' }] },
  });
  expect(JSON.stringify((posted[0] as { body: unknown }).body)).not.toContain('hook-secret');
});
