/**
 * The Diffie-Hellman exchanges netops gives ssh2 for `diffie-hellman-group1-sha1` (one group 2 per
 * process, a private key per exchange): each agrees with Node's own DiffieHellman on the secret,
 * also when exchanges run interleaved on the shared group; each key is its own, of full length, and
 * gone from the shared object once the secret is computed. A login through them, against ssh2 and
 * against OpenSSH: ssh2-module.test.ts, frr-interop.test.ts.
 */
import crypto, { type DiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffieHellmanGroup, ExchangeKeys } from '../../src/transport/dh-groups.js';

const toBigInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);

/** base ** exponent % modulus, by squaring. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let b = base % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus)
    if (e & 1n) result = (result * b) % modulus;
  return result;
}

describe('diffieHellmanGroup', () => {
  it("agrees on every secret with Node's own group 2, exchanges interleaved on the shared group", () => {
    const ours = [1, 2, 3].map(() => diffieHellmanGroup('modp2') as ExchangeKeys);
    const theirs = [1, 2, 3].map(() => crypto.createDiffieHellmanGroup('modp2'));
    expect(ours[0]!.getPrime()).toEqual(theirs[0]!.getPrime());
    expect(ours[0]!.getGenerator()).toEqual(theirs[0]!.getGenerator());
    // As three logins at once would: every key made, then every secret computed, in another order.
    const ourKeys = ours.map((exchange) => exchange.generateKeys());
    const theirKeys = theirs.map((node) => node.generateKeys());
    expect(new Set(ourKeys.map((key) => key.toString('hex'))).size).toBe(3);
    expect(ours[0]!.generateKeys()).toEqual(ourKeys[0]);
    for (const i of [2, 0, 1]) {
      expect(ours[i]!.computeSecret(theirKeys[i]!)).toEqual(theirs[i]!.computeSecret(ourKeys[i]!));
    }
  });

  it('uses a private key of full length per exchange, and none once its secret is computed', () => {
    const shared = crypto.createDiffieHellman(crypto.createDiffieHellmanGroup('modp2').getPrime(), 2);
    const set: Buffer[] = [];
    const recording = new Proxy(shared, {
      get: (target, name) =>
        name === 'setPrivateKey'
          ? (key: Buffer) => {
              set.push(Buffer.from(key));
              target.setPrivateKey(key);
            }
          : (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target),
    }) as DiffieHellman;
    // 256 bits each, the top one set, in 16 exchanges (a random top bit would be clear in 1 of 2).
    for (let i = 0; i < 16; i++) new ExchangeKeys(recording).generateKeys();
    expect(set.map((key) => key.length * 8)).toEqual(Array(16).fill(256));
    expect(set.every((key) => key[0]! >= 0x80)).toBe(true);
    const exchange = new ExchangeKeys(recording);
    const publicKey = exchange.generateKeys();
    const privateKey = set.at(-1)!;
    const p = toBigInt(shared.getPrime());
    expect(toBigInt(publicKey)).toBe(modPow(2n, toBigInt(privateKey), p));
    const peer = crypto.createDiffieHellmanGroup('modp2');
    exchange.computeSecret(peer.generateKeys());
    expect(set.at(-1)).not.toEqual(privateKey);
    expect(toBigInt(shared.getPrivateKey())).not.toBe(toBigInt(privateKey));
    expect(() => exchange.generateKeys()).toThrow(/over/);
  });

  it("leaves the groups OpenSSL names to Node's own objects", () => {
    const group14 = diffieHellmanGroup('modp14');
    expect(group14).not.toBeInstanceOf(ExchangeKeys);
    expect(group14.getPrime()).toEqual(crypto.createDiffieHellmanGroup('modp14').getPrime());
  });
});
