/**
 * The queue's TLS probe against TLS servers of Node's own, each misbehaving in one way a Redis or a
 * proxy in front of it can: one that answers, one that refuses the client's certificate, one that
 * hangs up after the handshake, one that never answers. The probe settles once, with the socket's
 * own error code, and nothing escapes as an uncaught error.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTls } from '../../src/queue/tls-check.js';
import { useFixture, useTempDir } from '../helpers/fixture.js';
import { makeTlsCerts, type TlsCerts } from '../helpers/tls-certs.js';

const dir = useTempDir('netops-tls-check-');
const certs: TlsCerts = useFixture(
  () => makeTlsCerts(dir),
  () => undefined,
);

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function serve(onSocket: (socket: TLSSocket) => void, requireClientCert = false): Promise<number> {
  const server = createServer(
    {
      cert: await readFile(certs.serverCert),
      key: await readFile(certs.serverKey),
      ca: await readFile(certs.ca),
      requestCert: requireClientCert,
      rejectUnauthorized: requireClientCert,
    },
    onSocket,
  );
  // A refused client's handshake error is the server's to swallow, as Redis does.
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return (server.address() as AddressInfo).port;
}

const probe = async (port: number, withClientCert: boolean, timeoutMs = 30_000) =>
  checkTls({
    host: '127.0.0.1',
    port,
    timeoutMs,
    tls: {
      ca: await readFile(certs.ca),
      servername: 'localhost',
      ...(withClientCert
        ? { cert: await readFile(certs.clientCert), key: await readFile(certs.clientKey) }
        : {}),
    },
  });

describe('checkTls', () => {
  it('resolves once the server answers anything (a NOAUTH error too) after the PING', async () => {
    const port = await serve((socket) => {
      socket.once('data', () => socket.write('-NOAUTH Authentication required.\r\n'));
      socket.on('error', () => undefined);
    });
    await expect(probe(port, false)).resolves.toBeUndefined();
  });

  it('rejects with the TLS alert when the server refuses a client without a certificate', async () => {
    const port = await serve(() => undefined, true);
    const error = (await probe(port, false).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error).toBeInstanceOf(Error);
    // TLS 1.3: the refusal arrives after the client's handshake as an alert, sometimes only as the reset.
    expect(error.code).toMatch(/^(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ECONNRESET)$/);
  });

  it('the same server lets a client with a certificate of its CA through', async () => {
    const port = await serve((socket) => {
      socket.once('data', () => socket.write('+PONG\r\n'));
      socket.on('error', () => undefined);
    }, true);
    await expect(probe(port, true)).resolves.toBeUndefined();
  });

  it('rejects with ECONNRESET when the server hangs up after the handshake without a word', async () => {
    const port = await serve((socket) => socket.end());
    await expect(probe(port, false)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects with ETIMEDOUT when the server never answers', async () => {
    const held: TLSSocket[] = [];
    const port = await serve((socket) => {
      held.push(socket);
      socket.on('error', () => undefined);
    });
    await expect(probe(port, false, 300)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    for (const socket of held) socket.destroy();
  });
});
