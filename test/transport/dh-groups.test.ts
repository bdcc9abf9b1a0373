/**
 * The Diffie-Hellman exchanges netops gives ssh2 for `diffie-hellman-group1-sha1` (one checked group
 * 2 per process, a private key per exchange): each agrees with Node's own DiffieHellman on the
 * secret, also when exchanges run interleaved on the shared group, and each has a key of its own.
 * A login through them, against ssh2 and against OpenSSH: ssh2-module.test.ts, frr-interop.test.ts.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffieHellmanGroup, ExchangeKeys } from '../../src/transport/dh-groups.js';

describe('diffieHellmanGroup', () => {
  it("agrees on every secret with Node's own group 2, exchanges interleaved on the shared group", () => {
    const ours = [1, 2, 3].map(() => diffieHellmanGroup('modp2') as ExchangeKeys);
    const theirs = [1, 2, 3].map(() => crypto.createDiffieHellmanGroup('modp2'));
    // As three logins at once would: every key made, then every secret computed, in another order.
    const ourKeys = ours.map((exchange) => exchange.generateKeys());
    const theirKeys = theirs.map((node) => node.generateKeys());
    for (const i of [2, 0, 1]) {
      expect(ours[i]!.computeSecret(theirKeys[i]!)).toEqual(theirs[i]!.computeSecret(ourKeys[i]!));
    }
    expect(new Set(ourKeys.map((key) => key.toString('hex'))).size).toBe(3);
    expect(ours[0]!.generateKeys()).toEqual(ourKeys[0]);
    expect(ours[0]!.getPrime()).toEqual(theirs[0]!.getPrime());
    expect(ours[0]!.getGenerator()).toEqual(theirs[0]!.getGenerator());
  });

  it("leaves the groups OpenSSL names to Node's own objects", () => {
    const group14 = diffieHellmanGroup('modp14');
    expect(group14).not.toBeInstanceOf(ExchangeKeys);
    expect(group14.getPrime()).toEqual(crypto.createDiffieHellmanGroup('modp14').getPrime());
  });
});
