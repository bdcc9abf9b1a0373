/**
 * The queue over TLS as a user sets it up: a real redis-server whose TCP port speaks TLS only and
 * asks every client for a certificate (its default once TLS is on), signed by a private CA made here
 * with openssl, and an ACL user with a password. `queue status` and a queued backup through a worker
 * work over `rediss://`; each wrong or missing piece is refused with what to do, before anything is
 * sent to a device.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWorkerProcess } from '../../bench/queue/worker-process.mjs';
import { useFixture, useStarted, useTempDir } from '../helpers/fixture.js';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { makeTlsCerts, type TlsCerts } from '../helpers/tls-certs.js';

const dir = useTempDir('netops-redis-tls-');
const certs: TlsCerts = useFixture(
  () => makeTlsCerts(dir),
  () => undefined,
);
const redis = useStarted(
  async () => {
    const server = await startRedisServer({
      tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca, requireClientCert: true },
      ipv6: true,
    });
    await server.cli('ACL', 'SETUSER', 'netops', 'on', '>queue-secret', '~*', '&*', '+@all');
    return server;
  },
  { timeoutMs: 60_000 },
);
const t = useBackupLab({ devices: 1, platforms: ['ios'], configBytes: 5_000, bootMs: 100 });

/** `rediss://netops@127.0.0.1:PORT`: the ACL user; its password comes from the environment. */
const url = () => redis.url.replace('rediss://', 'rediss://netops@');
const password = { NETOPS_QUEUE_PASSWORD: 'queue-secret' };
const trusted = () => [
  '--queue-ca',
  certs.ca,
  '--queue-cert',
  certs.clientCert,
  '--queue-key',
  certs.clientKey,
];
const status = (queue: string, flags: string[], env: Record<string, string> = password) =>
  runNetops(['queue', 'status', '--queue', queue, ...flags, '--json'], { env });

describe('netops over rediss://', () => {
  it('queue status: the CA, the client certificate and the ACL password are enough, and nothing is printed on stderr', async () => {
    const result = await status(url(), trusted());
    expect(result.code, result.stderr).toBe(0);
    // An IP address in the URL once made Node warn on every connection (it was sent as SNI).
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ workers: [], runs: [] });
  });

  it('rediss://[::1]: the bracketed IPv6 address is reached, checked against the certificate, and not sent as SNI', async () => {
    const result = await status(url().replace('@127.0.0.1:', '@[::1]:'), trusted());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ workers: [], runs: [] });
  });

  it('a queued backup: the worker and the coordinator both reach Redis over TLS, every host is stored', async () => {
    const worker = await startWorkerProcess({
      name: 'tls-w1',
      queue: url(),
      site: 'default',
      concurrency: 2,
      stalledMs: 2000,
      queueFlags: trusted(),
      env: { ...t.env, ...password },
    });
    try {
      // The coordinator reads the URL and the TLS files from the job, relative to the job file.
      const fromJob = (file: string) => JSON.stringify(path.relative(t.dir, file));
      const queue = `queue: { url: ${url()}, ca: ${fromJob(certs.ca)}, cert: ${fromJob(certs.clientCert)}, key: ${fromJob(certs.clientKey)} }\n`;
      const job = await t.job('over-tls', { method: 'show' }, { extra: queue });
      const result = await runNetops(['run', job, '--json'], {
        cwd: t.dir,
        env: { NETOPS_STATE_DIR: t.env['NETOPS_STATE_DIR'], ...password },
      });
      expect(result.code, result.stderr).toBe(0);
      const record = JSON.parse(result.stdout) as { hosts: Array<{ host: string; status: string }> };
      expect(record.hosts.map((h) => [h.host, h.status]).sort()).toEqual([
        ['r1', 'changed'],
        ['r1-v6', 'changed'],
      ]);
      expect(worker.log()).not.toContain('Warning');
    } finally {
      await worker.stop();
    }
  });
});

describe('what is wrong is said, with what to do, exit 1 (Redis unreachable) or 2 (bad input)', () => {
  it('no --queue-ca: the server certificate is untrusted, and the hint names --queue-ca', async () => {
    const result = await status(url(), trusted().slice(2));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('QUEUE_UNREACHABLE');
    expect(result.stderr).toContain('its TLS certificate is not signed by a CA this machine trusts');
    expect(result.stderr).toContain('--queue-ca FILE');
  });

  it('no client certificate, or one of a CA the server does not know: the hint names --queue-cert', async () => {
    for (const flags of [
      ['--queue-ca', certs.ca],
      ['--queue-ca', certs.ca, '--queue-cert', certs.strangerCert, '--queue-key', certs.strangerKey],
    ]) {
      const result = await status(url(), flags);
      expect(result.code, flags.join(' ')).toBe(1);
      expect(result.stderr).toContain('the server closed the TLS connection');
      expect(result.stderr).toContain('--queue-cert FILE and --queue-key FILE');
      expect(result.stderr).not.toContain('openssl');
    }
  });

  it("a server whose certificate names another host: the hint says the URL's host must be one it names", async () => {
    const misnamed = await startRedisServer({
      tls: { cert: certs.misnamedCert, key: certs.misnamedKey, clientCa: certs.ca, requireClientCert: false },
    });
    try {
      const result = await status(misnamed.url, ['--queue-ca', certs.ca], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Hostname/IP does not match certificate's altnames");
      expect(result.stderr).toContain("a host name or address that the server's certificate names");
    } finally {
      await misnamed.stop();
    }
  });

  it('a wrong password over TLS: refused by Redis, the password not echoed', async () => {
    const result = await status(url(), trusted(), { NETOPS_QUEUE_PASSWORD: 'not-the-secret' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/QUEUE_UNREACHABLE: .*WRONGPASS/);
    expect(result.stderr).not.toContain('not-the-secret');
  });

  it('redis:// to the TLS port: unreachable, and the hint says rediss://', async () => {
    const result = await status(url().replace('rediss:', 'redis:'), []);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('QUEUE_UNREACHABLE');
    expect(result.stderr).toContain('rediss:// for a TLS port');
  });

  it('TLS files with a redis:// URL: exit 2, nothing sent (the password would travel in clear text)', async () => {
    const result = await status(url().replace('rediss:', 'redis:'), trusted());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `TLS files (${certs.ca}, ${certs.clientCert}, ${certs.clientKey}) given for a redis:// URL`,
    );
    expect(result.stderr).toContain('Use rediss://HOST:PORT');
  });

  it('a client certificate without its key: exit 2', async () => {
    const result = await status(url(), ['--queue-ca', certs.ca, '--queue-cert', certs.clientCert]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a client certificate needs its key');
  });

  it("the job's queue.ca unreadable: exit 2 at its line in the job file, before Redis is asked", async () => {
    const job = await t.job(
      'missing-ca',
      { method: 'show' },
      { extra: `queue: { url: ${url()}, ca: no-such-ca.pem }\n` },
    );
    const result = await runNetops(['run', job, '--plan'], { cwd: t.dir, env: password });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${job}:7:`);
    expect(result.stderr).toContain(`cannot read ${path.join(t.dir, 'no-such-ca.pem')} (ENOENT)`);
    expect(result.stderr).toContain('relative to the job file');
  });

  it('an unreadable CA file: exit 2 naming it', async () => {
    const missing = path.join(dir, 'missing-ca.pem');
    const result = await status(url(), ['--queue-ca', missing, ...trusted().slice(2)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read ${missing}`);
  });
});
