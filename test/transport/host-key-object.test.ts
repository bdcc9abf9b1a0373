/**
 * The host-key signature check ssh2 makes at each login, with the server's key read from its numbers
 * (src/transport/host-key-object.ts): the same key as OpenSSL reads from the PEM text ssh2 builds,
 * the same answer for good and bad signatures, and every other text left to Node's own `verify`.
 */
import { ECDH, createPublicKey, sign, verify } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { hostKeyObject, verifyHostKeySignature } from '../../src/transport/host-key-object.js';

type KeyKind = 'ed25519' | 'ecdsa' | 'rsa';
const generate = ssh2.utils.generateKeyPairSync as (
  kind: KeyKind,
  options: { bits?: number },
) => { public: string; private: string };

/** A host key as ssh2 sees it: the PEM text it builds from the key's SSH form, and a signer. */
function hostKey(kind: KeyKind, bits?: number) {
  for (;;) {
    const pair = generate(kind, bits ? { bits } : {});
    const publicKey = ssh2.utils.parseKey(pair.public);
    const privateKey = ssh2.utils.parseKey(pair.private);
    // ssh2's generator writes an Ed25519 private key it cannot read about once in 300 (so does the lab's newHostKey)
    if (publicKey instanceof Error || privateKey instanceof Error) continue;
    const algorithm = kind === 'ed25519' ? null : 'sha256';
    return {
      pem: publicKey.getPublicPEM(),
      algorithm,
      sign: (data: Buffer) => sign(algorithm, data, privateKey.getPrivatePEM()),
    };
  }
}

const asPem = (bytes: Buffer) =>
  `-----BEGIN PUBLIC KEY-----\n${bytes.toString('base64')}\n-----END PUBLIC KEY-----`;

/** A DER element: tag, length (shortest form), content. */
function derElement(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length =
    body.length < 0x80
      ? [body.length]
      : body.length < 0x100
        ? [0x81, body.length]
        : [0x82, body.length >> 8, body.length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** An RSA SubjectPublicKeyInfo with `n` and `e` written as given (as ssh2 writes an SSH mpint). */
function rsaSpki(n: Buffer, e: Buffer): Buffer {
  const algorithm = Buffer.from('300d06092a864886f70d0101010500', 'hex');
  const numbers = derElement(0x30, derElement(0x02, n), derElement(0x02, e));
  return derElement(0x30, algorithm, derElement(0x03, Buffer.from([0]), numbers));
}

const readFromNumbers: [string, KeyKind, number?][] = [
  ['Ed25519', 'ed25519'],
  ['ECDSA P-256', 'ecdsa', 256],
  ['ECDSA P-384', 'ecdsa', 384],
  ['ECDSA P-521', 'ecdsa', 521],
  ['RSA-2048', 'rsa', 2048],
];

describe('host-key signature check', () => {
  it.each(readFromNumbers)(
    'reads an %s key from its numbers: the same key OpenSSL reads',
    (_name, kind, bits) => {
      const key = hostKey(kind, bits);
      const object = hostKeyObject(key.pem);
      expect(object).toBeDefined();
      const spki = { type: 'spki', format: 'der' } as const;
      expect(object!.export(spki)).toEqual(createPublicKey(key.pem).export(spki));
    },
  );

  it.each(readFromNumbers)(
    'answers as Node does with the PEM text for an %s key: good, altered and foreign signatures',
    (_name, kind, bits) => {
      const key = hostKey(kind, bits);
      const other = hostKey(kind, bits);
      const data = Buffer.from('exchange hash of one login');
      const signature = key.sign(data);
      const altered = Buffer.from(signature);
      altered[altered.length - 5]! ^= 0x01;
      const cases: [Buffer, string, Buffer][] = [
        [data, key.pem, signature],
        [Buffer.from('exchange hash of another login'), key.pem, signature],
        [data, key.pem, altered],
        [data, other.pem, signature],
      ];
      const answers = cases.map(([d, pem, s]) => {
        const ours = (() => {
          try {
            return verifyHostKeySignature(key.algorithm, d, pem, s);
          } catch (error) {
            return (error as Error).name;
          }
        })();
        const nodes = (() => {
          try {
            return verify(key.algorithm, d, pem, s);
          } catch (error) {
            return (error as Error).name;
          }
        })();
        return [ours, nodes];
      });
      expect(answers[0]).toEqual([true, true]);
      for (const [ours, nodes] of answers) expect(ours).toBe(nodes);
    },
  );

  it('leaves RSA integers not in their shortest positive form, and lengths not in theirs, to OpenSSL', () => {
    const { n, e } = createPublicKey(hostKey('rsa', 2048).pem).export({ format: 'jwk' });
    const [modulus, exponent] = [Buffer.from(n!, 'base64url'), Buffer.from(e!, 'base64url')];
    const zero = Buffer.from([0]);
    const canonical = rsaSpki(Buffer.concat([zero, modulus]), exponent);
    expect(hostKeyObject(asPem(canonical))?.export({ format: 'jwk' })).toEqual({ kty: 'RSA', n, e });
    expect(hostKeyObject(asPem(rsaSpki(Buffer.concat([zero, zero, modulus]), exponent)))).toBeUndefined();
    expect(hostKeyObject(asPem(rsaSpki(modulus, exponent)))).toBeUndefined(); // high bit set: negative
    expect(
      hostKeyObject(asPem(rsaSpki(Buffer.concat([zero, modulus]), Buffer.concat([zero, exponent])))),
    ).toBeUndefined();
    expect(hostKeyObject(asPem(Buffer.concat([canonical, zero])))).toBeUndefined();
    // the exponent's length in long form (0x81 0x03) where one byte says it
    const longLength = Buffer.from(canonical.toString('hex').replace(/0203010001$/, '028103010001'), 'hex');
    expect(longLength.length).toBe(canonical.length + 1);
    expect(hostKeyObject(asPem(longLength))).toBeUndefined();
  });

  it('leaves compressed points, odd texts and extra bytes to OpenSSL', () => {
    const { pem } = hostKey('ed25519');
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    expect(hostKeyObject(asPem(der))).toBeDefined();
    expect(hostKeyObject(asPem(Buffer.concat([der, Buffer.from([0])])))).toBeUndefined();
    expect(hostKeyObject(asPem(der.subarray(0, der.length - 1)))).toBeUndefined();
    // a character OpenSSL's base64 refuses and Node's would skip
    expect(hostKeyObject(pem.replace('\n', '\n*'))).toBeUndefined();
    expect(hostKeyObject(pem.replace('PUBLIC KEY', 'RSA PUBLIC KEY'))).toBeUndefined();
    // P-256 with its point compressed (0x02 or 0x03, then X): a valid key, left to OpenSSL
    const ecDer = createPublicKey(hostKey('ecdsa', 256).pem).export({ type: 'spki', format: 'der' });
    const point = ECDH.convertKey(
      ecDer.subarray(26),
      'prime256v1',
      undefined,
      undefined,
      'compressed',
    ) as Buffer;
    const compressed = Buffer.concat([
      Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'),
      point,
    ]);
    expect(createPublicKey({ key: compressed, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('ec');
    expect(hostKeyObject(asPem(compressed))).toBeUndefined();
  });
});
