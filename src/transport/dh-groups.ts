/**
 * `createDiffieHellmanGroup` for ssh2's key exchanges, without Node checking RFC 2409's group 2 at
 * each login. Node builds every DiffieHellman object with OpenSSL's DH_check, which returns at once
 * for the groups OpenSSL 3 knows by name (RFC 3526's 2048-bit group 14 and larger) and runs
 * Miller-Rabin on p and (p - 1) / 2 for group 2, the 1024-bit group of `diffie-hellman-group1-sha1`
 * that some old devices offer alone: 62-64 ms of CPU, a login twelve times a modern one's (67 against
 * 5.5 ms). ssh2 builds one per exchange and never reads the check's result.
 *
 * So group 2 is built once per process, and each exchange has a random private key of its own, set
 * on that object before each use: every call is synchronous, so exchanges running at once never meet
 * another's key. Other groups come from Node as they are.
 */
import crypto, { type DiffieHellman } from 'node:crypto';

/** ssh2's name for the group of `diffie-hellman-group1-sha1`, which OpenSSL 3 does not name. */
const GROUP_2 = 'modp2';

/** 256 bits: more than twice group 2's 80-bit strength (RFC 3526 §8), as OpenSSL's 224 for group 14. */
const PRIVATE_KEY_BYTES = 32;

let group2: DiffieHellman | undefined;

/** What ssh2's DHExchange calls on its object (no encodings), for one exchange on the shared group. */
export class ExchangeKeys {
  readonly #group: DiffieHellman;
  readonly #privateKey = crypto.randomBytes(PRIVATE_KEY_BYTES);

  constructor(group: DiffieHellman) {
    this.#group = group;
    // Its top bit set: a key of full length, never 0 or 1.
    this.#privateKey[0] = (this.#privateKey[0] as number) | 0x80;
  }

  /** This exchange's public key (Node derives it from the private key set). */
  generateKeys(): Buffer {
    this.#group.setPrivateKey(this.#privateKey);
    return this.#group.generateKeys();
  }

  computeSecret(otherPublicKey: NodeJS.ArrayBufferView): Buffer {
    this.#group.setPrivateKey(this.#privateKey);
    return this.#group.computeSecret(otherPublicKey);
  }

  getPrime(): Buffer {
    return this.#group.getPrime();
  }

  getGenerator(): Buffer {
    return this.#group.getGenerator();
  }
}

/** Node's `createDiffieHellmanGroup(name)`, group 2 excepted: an exchange on the process's one. */
export function diffieHellmanGroup(name: string): crypto.DiffieHellmanGroup | ExchangeKeys {
  if (name !== GROUP_2) return crypto.createDiffieHellmanGroup(name);
  if (group2 === undefined) {
    const named = crypto.createDiffieHellmanGroup(name);
    group2 = crypto.createDiffieHellman(named.getPrime(), named.getGenerator());
  }
  return new ExchangeKeys(group2);
}
