/**
 * A server's public key, as ssh2 hands it to `crypto.verify` to check the host-key signature of each
 * login (an SPKI PEM text it builds from the key's SSH form), made into a key object from the key's
 * raw numbers (its JWK form) instead of through OpenSSL's PEM decoder. Same key, same verify. ssh2's
 * check of an Ed25519 signature took 160-250 us, 110-170 this way; a P-256 one about 200, 150-155
 * (in process, load 5).
 *
 * Only the exact shapes ssh2 writes for Ed25519 and for ECDSA keys on P-256, P-384 and P-521 with an
 * uncompressed point (a fixed DER prefix, then the key's bytes, nothing after) are read here; any
 * other text or key goes to Node's `verify` as it is, so RSA keys, odd encodings and errors stay
 * OpenSSL's business.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

interface Shape {
  /** The DER bytes before the key's own. */
  readonly prefix: Buffer;
  /** The key's bytes after the prefix (EC: the point's two coordinates, after its 0x04). */
  readonly keyBytes: number;
  readonly jwk: (key: Buffer) => JsonWebKey;
}

const ec = (crv: string, prefixHex: string, size: number): Shape => ({
  prefix: Buffer.from(prefixHex, 'hex'),
  keyBytes: 2 * size,
  jwk: (key) => ({
    kty: 'EC',
    crv,
    x: key.toString('base64url', 0, size),
    y: key.toString('base64url', size),
  }),
});

/** SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING (no unused bits) { the key } }. */
const shapes: readonly Shape[] = [
  {
    // id-Ed25519 (1.3.101.112), 32 bytes
    prefix: Buffer.from('302a300506032b6570032100', 'hex'),
    keyBytes: 32,
    jwk: (key) => ({ kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') }),
  },
  // id-ecPublicKey (1.2.840.10045.2.1) with the named curve's OID, then 0x04 and X, Y
  ec('P-256', '3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04', 32),
  ec('P-384', '3076301006072a8648ce3d020106052b81040022036200' + '04', 48),
  ec('P-521', '30819b301006072a8648ce3d020106052b8104002303818600' + '04', 66),
];

const pemHead = '-----BEGIN PUBLIC KEY-----\n';
const pemTail = '-----END PUBLIC KEY-----';

/** The key object of `pem` when it holds one of the shapes above, else undefined. */
export function hostKeyObject(pem: string): KeyObject | undefined {
  if (!pem.startsWith(pemHead) || !pem.endsWith(pemTail)) return undefined;
  const body = pem.slice(pemHead.length, pem.length - pemTail.length).replaceAll('\n', '');
  // Strict base64: Node's decoder skips what is not base64, OpenSSL's would refuse it.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  const der = Buffer.from(body, 'base64');
  for (const { prefix, keyBytes, jwk } of shapes) {
    if (der.length !== prefix.length + keyBytes || !der.subarray(0, prefix.length).equals(prefix)) continue;
    try {
      return createPublicKey({ key: jwk(der.subarray(prefix.length)), format: 'jwk' });
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Node's `verify`, with a PEM key of a shape above turned into its key object first; every other
 * call is passed on as it came.
 */
export const verifyHostKeySignature = ((...args: unknown[]) => {
  const [algorithm, data, key, signature] = args;
  const keyObject = args.length === 4 && typeof key === 'string' ? hostKeyObject(key) : undefined;
  if (keyObject === undefined) return (verify as (...passed: unknown[]) => unknown)(...args);
  return verify(
    algorithm as string | null | undefined,
    data as NodeJS.ArrayBufferView,
    keyObject,
    signature as NodeJS.ArrayBufferView,
  );
}) as typeof verify;
