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

const readFromNumbers: [string, KeyKind, number?][] = [
  ['Ed25519', 'ed25519'],
  ['ECDSA P-256', 'ecdsa', 256],
  ['ECDSA P-384', 'ecdsa', 384],
  ['ECDSA P-521', 'ecdsa', 521],
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

  it.each([...readFromNumbers, ['RSA', 'rsa', 2048] as [string, KeyKind, number]])(
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

  it('leaves RSA keys, compressed points, odd texts and extra bytes to OpenSSL', () => {
    expect(hostKeyObject(hostKey('rsa', 2048).pem)).toBeUndefined();
    const { pem } = hostKey('ed25519');
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    const asPem = (bytes: Buffer) =>
      `-----BEGIN PUBLIC KEY-----\n${bytes.toString('base64')}\n-----END PUBLIC KEY-----`;
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
