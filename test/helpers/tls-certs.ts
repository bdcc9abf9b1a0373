/**
 * A private CA and certificates signed by it, made with openssl in a test's folder: a server
 * certificate naming localhost, 127.0.0.1 and ::1, one naming another host only, a client
 * certificate, and a client certificate of a second CA that nobody trusts. EC P-256 keys: quick to make.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsCerts {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A server certificate of the same CA for elsewhere.example only. */
  readonly misnamedCert: string;
  readonly misnamedKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate signed by another CA, unknown to the server. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  await run('openssl', [
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
  return { cert, key };
}

/** A certificate with the common name `name`, signed by `ca`, with `extensions` (an openssl extension file). */
async function makeSigned(
  dir: string,
  name: string,
  ca: { cert: string; key: string },
  extensions: string,
): Promise<{ cert: string; key: string }> {
  const [cert, key, csr, ext] = ['pem', 'key', 'csr', 'ext'].map((suffix) =>
    path.join(dir, `${name}.${suffix}`),
  );
  await writeFile(ext!, extensions);
  await run('openssl', ['req', ...newKey, '-keyout', key!, '-out', csr!, '-subj', `/CN=${name}`]);
  await run('openssl', [
    ...['x509', '-req', '-in', csr!, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'],
    ...['-out', cert!, '-days', '2', '-extfile', ext!],
  ]);
  return { cert: cert!, key: key! };
}

export async function makeTlsCerts(dir: string): Promise<TlsCerts> {
  const [ca, strangerCa] = await Promise.all([makeCa(dir, 'test-ca'), makeCa(dir, 'stranger-ca')]);
  const server = await makeSigned(
    dir,
    'server',
    ca,
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n',
  );
  const misnamed = await makeSigned(
    dir,
    'misnamed',
    ca,
    'subjectAltName=DNS:elsewhere.example\nextendedKeyUsage=serverAuth\n',
  );
  const client = await makeSigned(dir, 'client', ca, 'extendedKeyUsage=clientAuth\n');
  const stranger = await makeSigned(dir, 'stranger', strangerCa, 'extendedKeyUsage=clientAuth\n');
  return {
    ca: ca.cert,
    serverCert: server.cert,
    serverKey: server.key,
    misnamedCert: misnamed.cert,
    misnamedKey: misnamed.key,
    clientCert: client.cert,
    clientKey: client.key,
    strangerCert: stranger.cert,
    strangerKey: stranger.key,
  };
}
