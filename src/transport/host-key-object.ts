/**
 * A server's public key, as ssh2 hands it to `crypto.verify` to check the host-key signature of each
 * login (an SPKI PEM text it builds from the key's SSH form), made into a key object from the key's
 * raw numbers (its JWK form) instead of through OpenSSL's PEM decoder. Same key, same verify. ssh2's
 * check (its parsed key's `verify`, in process, load 6): Ed25519 175-205 -> 100-150 us, P-256
 * 200-270 -> 160-200, RSA-2048 190-275 -> 90-135.
 *
 * Only the shapes ssh2 writes are read here, in strict DER: Ed25519 and ECDSA keys on P-256, P-384
 * and P-521 with an uncompressed point (a fixed prefix, then the key's bytes, nothing after), and RSA
 * keys whose two integers are positive and minimally encoded. Any other text or key goes to Node's
 * `verify` as it is, so odd encodings and their errors stay OpenSSL's business.
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
  const jwk = fixedShapeJwk(der) ?? rsaJwk(der);
  if (jwk === undefined) return undefined;
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined;
  }
}

function fixedShapeJwk(der: Buffer): JsonWebKey | undefined {
  for (const { prefix, keyBytes, jwk } of shapes)
    if (der.length === prefix.length + keyBytes && der.subarray(0, prefix.length).equals(prefix))
      return jwk(der.subarray(prefix.length));
  return undefined;
}

/** rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters. */
const rsaAlgorithm = Buffer.from('300d06092a864886f70d0101010500', 'hex');

/**
 * SEQUENCE { rsaAlgorithm, BIT STRING (no unused bits) { SEQUENCE { INTEGER n, INTEGER e } } }, each
 * element ending exactly where the one holding it ends.
 */
function rsaJwk(der: Buffer): JsonWebKey | undefined {
  const info = element(der, 0, 0x30);
  if (info?.end !== der.length) return undefined;
  const afterAlgorithm = info.start + rsaAlgorithm.length;
  if (!der.subarray(info.start, afterAlgorithm).equals(rsaAlgorithm)) return undefined;
  const bits = element(der, afterAlgorithm, 0x03);
  if (bits?.end !== info.end || der[bits.start] !== 0) return undefined;
  const numbers = element(der, bits.start + 1, 0x30);
  if (numbers?.end !== bits.end) return undefined;
  const n = element(der, numbers.start, 0x02);
  const e = n && element(der, n.end, 0x02);
  if (e?.end !== numbers.end) return undefined;
  const modulus = positiveInteger(der, n!);
  const exponent = positiveInteger(der, e);
  if (modulus === undefined || exponent === undefined) return undefined;
  return { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') };
}

interface Element {
  /** Where its content starts and ends. */
  readonly start: number;
  readonly end: number;
}

/** The element with `tag` at `at`, its length in the shortest DER form and inside `der`. */
function element(der: Buffer, at: number, tag: number): Element | undefined {
  if (der[at] !== tag || at + 2 > der.length) return undefined;
  const first = der[at + 1]!;
  let start = at + 2;
  let length = first;
  if (first >= 0x80) {
    const count = first - 0x80;
    if (count < 1 || count > 3 || der[start] === 0 || start + count > der.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    if (length < 0x80) return undefined;
    start += count;
  }
  return start + length <= der.length ? { start, end: start + length } : undefined;
}

/** An INTEGER's magnitude when it is positive and minimally encoded (one 0x00 only before a high bit). */
function positiveInteger(der: Buffer, { start, end }: Element): Buffer | undefined {
  if (end - start < 1 || der[start]! >= 0x80) return undefined;
  if (der[start] !== 0) return der.subarray(start, end);
  return end - start >= 2 && der[start + 1]! >= 0x80 ? der.subarray(start + 1, end) : undefined;
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
