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

/** Group 2's prime (RFC 2409 §6.2), generator 2: built from these, Node checks it once, not twice. */
const GROUP_2_PRIME = Buffer.from(
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74' +
    '020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437' +
    '4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece65381ffffffffffffffff',
  'hex',
);
const GROUP_2_GENERATOR = Buffer.from([2]);

/** 256 bits: more than twice the 80-bit strength of a 1024-bit group (NIST SP 800-57 part 1). */
const PRIVATE_KEY_BYTES = 32;

/** Set on the shared object once an exchange is done with it: no exchange's key stays behind. */
const NO_KEY = Buffer.alloc(PRIVATE_KEY_BYTES, 1);

let group2: DiffieHellman | undefined;

/** What ssh2's DHExchange calls on its object (no encodings), for one exchange on a shared group. */
export class ExchangeKeys {
  readonly #group: DiffieHellman;
  readonly #privateKey = crypto.randomBytes(PRIVATE_KEY_BYTES);
  #done = false;

  constructor(group: DiffieHellman) {
    this.#group = group;
    // Its top bit set: a key of full length, never 0 or 1 (RFC 4253 §8: 1 < x < q).
    this.#privateKey[0] = (this.#privateKey[0] as number) | 0x80;
  }

  /** This exchange's public key (Node derives it from the private key set). */
  generateKeys(): Buffer {
    this.#group.setPrivateKey(this.#usable());
    return this.#group.generateKeys();
  }

  /** The shared secret; the exchange's private key is then wiped, as ssh2 needs it no more. */
  computeSecret(otherPublicKey: NodeJS.ArrayBufferView): Buffer {
    this.#group.setPrivateKey(this.#usable());
    try {
      return this.#group.computeSecret(otherPublicKey);
    } finally {
      this.#group.setPrivateKey(NO_KEY);
      this.#privateKey.fill(0);
      this.#done = true;
    }
  }

  getPrime(): Buffer {
    return this.#group.getPrime();
  }

  getGenerator(): Buffer {
    return this.#group.getGenerator();
  }

  #usable(): Buffer {
    if (this.#done) throw new Error('this Diffie-Hellman exchange is over: its private key was wiped');
    return this.#privateKey;
  }
}

/** Node's `createDiffieHellmanGroup(name)`, group 2 excepted: an exchange on the process's one. */
export function diffieHellmanGroup(name: string): crypto.DiffieHellmanGroup | ExchangeKeys {
  if (name !== GROUP_2) return crypto.createDiffieHellmanGroup(name);
  group2 ??= crypto.createDiffieHellman(GROUP_2_PRIME, GROUP_2_GENERATOR);
  return new ExchangeKeys(group2);
}
