/**
 * ssh2, loaded so that its own files draw their random bytes from a pool (random-pool.ts), check
 * host-key signatures with key objects made from the keys' numbers (host-key-object.ts) and build
 * `diffie-hellman-group1-sha1` exchanges on one checked group (dh-groups.ts): ssh2 takes
 * `randomFillSync`, `verify` and `createDiffieHellmanGroup` from `require('crypto')` once, when each
 * of its files loads, and calls the first for every packet it sends, the others at every login.
 * While ssh2 loads (synchronously: no other code runs meanwhile), a `require('crypto')` made by a
 * file inside ssh2's package gets Node's crypto module with those three functions replaced; every
 * other module, ssh2's dependencies included, gets Node's crypto as it is, and nothing is left
 * changed afterwards. The random bytes are still Node's CSPRNG output, each handed out once; the
 * signature check is still Node's `verify` of the same key; the key agreement is still Node's.
 *
 * If ssh2 was loaded before (by the lab's SSH server in the same process, say), its files are not
 * run again: it keeps the functions it took then, Node's own, and works as it always did.
 */
import crypto from 'node:crypto';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ssh2 from 'ssh2';
import { diffieHellmanGroup } from './dh-groups.js';
import { verifyHostKeySignature } from './host-key-object.js';
import { RandomPool } from './random-pool.js';

type Load = (
  request: string,
  parent: { filename?: string | null } | null | undefined,
  ...rest: unknown[]
) => unknown;

const require = createRequire(import.meta.url);

/**
 * Loads ssh2 (or returns it as loaded before) with its files' random bytes drawn from `pool`, their
 * signature checks made by `verifyHostKeySignature` and their groups from `diffieHellmanGroup`.
 * Where ssh2's folder cannot be told, no file matches and ssh2 keeps Node's functions.
 */
export function requireSsh2(pool = new RandomPool()): typeof Ssh2 {
  // The package's folder from its main file (`.../node_modules/ssh2/lib/index.js`): no reliance on
  // what its package.json exports.
  const main = require.resolve('ssh2');
  const marker = `${path.sep}node_modules${path.sep}ssh2${path.sep}`;
  const folder = main.slice(0, main.lastIndexOf(marker) + marker.length);
  const ssh2Crypto: typeof crypto = Object.create(crypto, {
    randomFillSync: { value: pool.randomFillSync, enumerable: true },
    verify: { value: verifyHostKeySignature, enumerable: true },
    createDiffieHellmanGroup: { value: diffieHellmanGroup, enumerable: true },
  });
  // Module._load is what every `require` of a CommonJS file goes through; Node types leave it out.
  const modules = Module as unknown as { _load: Load };
  const load = modules._load;
  modules._load = function (this: unknown, request, parent, ...rest) {
    if ((request === 'crypto' || request === 'node:crypto') && isSsh2File(parent?.filename, folder))
      return ssh2Crypto;
    return load.call(this, request, parent, ...rest);
  };
  try {
    return require('ssh2') as typeof Ssh2;
  } finally {
    modules._load = load;
  }
}

/** A file of ssh2's own, not of a package installed inside its folder. */
function isSsh2File(file: string | null | undefined, folder: string): boolean {
  return (
    file?.startsWith(folder) === true && !file.includes(`${path.sep}node_modules${path.sep}`, folder.length)
  );
}
