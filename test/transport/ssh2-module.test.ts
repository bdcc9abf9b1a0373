/**
 * ssh2 as netops loads it (src/transport/ssh2-module.ts). Its random bytes come from a pool
 * (random-pool.ts): what an SSH client sends in clear before keys are agreed (its KEXINIT's cookie
 * and padding) are bytes Node's CSPRNG filled the pool with, each used once, and ssh2 never calls
 * Node's crypto module for them; Node's crypto module is the same object with the same function
 * afterwards. Its host-key signature check (host-key-object.ts) accepts a server's own signature
 * and refuses one made with another key (Ed25519, P-256, RSA). Its `diffie-hellman-group1-sha1`
 * logins build group 2 once (dh-groups.ts), where ssh2 would have Node build and check it at each
 * exchange. ssh2 must not be loaded before these tests run in this process (vitest runs each test
 * file in a fresh one; nothing here imports it).
 */
import { randomFillSync } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { RandomPool } from '../../src/transport/random-pool.js';
import { requireSsh2 } from '../../src/transport/ssh2-module.js';
import { kexinitPeer, type ClearRandomBytes } from './kexinit-peer.js';

const require = createRequire(import.meta.url);

/** Node's randomFillSync, keeping a copy of every whole buffer it fills (a pool's refills) and counting the rest. */
function recordingSource() {
  const refills: Buffer[] = [];
  let otherCalls = 0;
  const fill = ((...args: Parameters<typeof randomFillSync>) => {
    const result = randomFillSync(...args);
    if (args.length === 1 && Buffer.isBuffer(args[0])) refills.push(Buffer.from(args[0]));
    else otherCalls++;
    return result;
  }) as typeof randomFillSync;
  return { fill, refills, otherCalls: () => otherCalls };
}

/** Where `chunk` is in `stream` at or after `from` (-1 if it is not). */
const find = (stream: Buffer, chunk: Buffer, from: number) => stream.indexOf(chunk, from);

describe('RandomPool', () => {
  it("hands out the CSPRNG's bytes in order, each once, across refills, and only where asked", () => {
    const source = recordingSource();
    const pool = new RandomPool(64, source.fill);
    const handedOut: Buffer[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < 500; i++) {
      const size = ((i * 7) % 40) + 1;
      const target = Buffer.alloc(size + 10, 0xaa);
      expect(pool.randomFillSync(target, 5, size)).toBe(target);
      expect(target.subarray(0, 5).every((b) => b === 0xaa)).toBe(true);
      expect(target.subarray(5 + size).every((b) => b === 0xaa)).toBe(true);
      handedOut.push(Buffer.from(target.subarray(5, 5 + size)));
      sizes.push(size);
    }
    // What each draw must be: the next unused bytes of the current refill, or the start of the next one.
    const expected: Buffer[] = [];
    let refill = -1;
    let next = 64;
    for (const size of sizes) {
      if (64 - next < size) [refill, next] = [refill + 1, 0];
      expected.push(source.refills[refill]!.subarray(next, next + size));
      next += size;
    }
    expect(source.refills.length).toBe(refill + 1);
    expect(Buffer.concat(handedOut)).toEqual(Buffer.concat(expected));
    expect(source.otherCalls()).toBe(0);
  });

  it("leaves other requests to Node's function: defaults, other views, large sizes, bad ranges", () => {
    const source = recordingSource();
    const pool = new RandomPool(4096, source.fill);
    const whole = Buffer.alloc(32);
    expect(pool.randomFillSync(whole)).toBe(whole);
    expect(pool.randomFillSync(new Float32Array(8), 0, 8)).toBeInstanceOf(Float32Array);
    expect(pool.randomFillSync(Buffer.alloc(1000), 0, 1000).length).toBe(1000);
    // whole buffers are recorded as refills by the source: the pool itself has not drawn yet
    expect(source.refills.length + source.otherCalls()).toBe(3);
    const nodeError = (() => {
      try {
        randomFillSync(Buffer.alloc(4), 3, 2);
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
    })();
    expect(nodeError?.code).toBe('ERR_OUT_OF_RANGE');
    expect(() => pool.randomFillSync(Buffer.alloc(4), 3, 2)).toThrow(
      expect.objectContaining({ code: nodeError?.code, message: nodeError?.message }),
    );
  });
});

const ssh2Loaded = () =>
  Object.keys(require.cache).some((file) =>
    file.includes(`${path.sep}node_modules${path.sep}ssh2${path.sep}`),
  );

/** Connects `count` ssh2 clients one after the other to `peer`: the random bytes each sent in clear. */
async function clearBytesOf(ssh2: typeof Ssh2, count: number): Promise<ClearRandomBytes[]> {
  const peer = await kexinitPeer();
  const seen: ClearRandomBytes[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const client = new ssh2.Client();
      client.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.connect({ host: '127.0.0.1', port: peer.port, username: 'u', password: 'p' });
      seen.push(await peer.next());
      await closed;
    }
  } finally {
    await peer.close();
  }
  return seen;
}

/** Each cookie and padding found in `stream`, in order and without overlap: where the last one ends. */
function expectDrawnInOrder(stream: Buffer, seen: readonly ClearRandomBytes[], from = 0): number {
  let at = from;
  for (const { cookie, padding } of seen) {
    for (const chunk of [cookie, padding]) {
      const found = find(stream, chunk, at);
      expect(found, `${chunk.toString('hex')} drawn from the pool after byte ${at}`).toBeGreaterThanOrEqual(
        at,
      );
      at = found + chunk.length;
    }
  }
  return at;
}

/** A new private key of `kind` (or the one `privateText` holds): its text and ssh2's parse of it. */
function parsedKey(ssh2: typeof Ssh2, kind: string, privateText?: string) {
  for (;;) {
    const text =
      privateText ??
      (kind === 'ecdsa'
        ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 })
        : kind === 'rsa'
          ? ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 })
          : ssh2.utils.generateKeyPairSync('ed25519')
      ).private;
    const key = ssh2.utils.parseKey(text);
    // ssh2's generator writes an Ed25519 private key it cannot read about once in 300
    if (!(key instanceof Error)) return { key, private: text };
  }
}

/**
 * `ready`, or the error of a login of `ssh2`'s client to a server of its own presenting `hostKey`,
 * both offering only `kex` when given.
 */
async function loginOutcome(
  ssh2: typeof Ssh2,
  hostKey: Ssh2.ParsedKey,
  kex?: Ssh2.KexAlgorithm,
): Promise<string> {
  const algorithms = kex ? { algorithms: { kex: [kex] } } : {};
  const server = new ssh2.Server(
    { hostKeys: [{ key: hostKey, passphrase: '' }], ...algorithms },
    (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (context) => context.accept());
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new ssh2.Client();
  try {
    return await new Promise<string>((resolve) => {
      client.once('ready', () => resolve('ready'));
      client.once('error', (error) => resolve(error.message));
      const { port } = server.address() as { port: number };
      client.connect({
        host: '127.0.0.1',
        port,
        username: 'u',
        password: 'p',
        hostVerifier: () => true,
        ...algorithms,
      });
    });
  } finally {
    client.end();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('ssh2 loaded by requireSsh2', () => {
  // One loaded ssh2 per process: the second test goes on from where the first left it.
  const source = recordingSource();
  let ssh2: typeof Ssh2;
  let drawnUpTo = 0;

  it("draws its packets' random bytes from the pool, never from Node's crypto module, and changes nothing else", async () => {
    expect(ssh2Loaded(), 'ssh2 was loaded before this test: the test proves nothing in this process').toBe(
      false,
    );
    // The crypto module every CommonJS file gets: ssh2 would take this function if it were not given the pool.
    const nodeCrypto = require('node:crypto') as typeof NodeCrypto;
    const nodeFill = nodeCrypto.randomFillSync;
    let nodeCalls = 0;
    const counting = ((...args: Parameters<typeof randomFillSync>) => {
      nodeCalls++;
      return nodeFill(...args);
    }) as typeof randomFillSync;
    nodeCrypto.randomFillSync = counting;
    try {
      ssh2 = requireSsh2(new RandomPool(4096, source.fill));
      expect(nodeCrypto.randomFillSync).toBe(counting);
      expect(require('ssh2')).toBe(ssh2);
      const seen = await clearBytesOf(ssh2, 6);
      expect(nodeCalls).toBe(0);
      expect(source.refills.length).toBe(1);
      expect(new Set(seen.map((s) => s.cookie.toString('hex'))).size).toBe(6);
      drawnUpTo = expectDrawnInOrder(Buffer.concat(source.refills), seen);
    } finally {
      nodeCrypto.randomFillSync = nodeFill;
    }
  });

  it.each(['ed25519', 'ecdsa', 'rsa'])(
    "checks each login's %s host-key signature: a server signing with another key than the one it presents is refused",
    async (kind) => {
      const presented = parsedKey(ssh2, kind);
      const outcomes: string[] = [];
      for (const signer of [presented, parsedKey(ssh2, kind)]) {
        const hostKey = parsedKey(ssh2, kind, presented.private).key;
        hostKey.sign = signer.key.sign.bind(signer.key);
        outcomes.push(await loginOutcome(ssh2, hostKey));
      }
      expect(outcomes).toEqual(['ready', 'Handshake failed: signature verification failed']);
    },
  );

  it('makes diffie-hellman-group1-sha1 logins on one group 2, built once per process', async () => {
    // Node's crypto module: ssh2 would call its createDiffieHellmanGroup at each exchange of each side,
    // each call checking the group; netops builds the group once with createDiffieHellman.
    const nodeCrypto = require('node:crypto') as typeof NodeCrypto;
    const [nodeGroup, nodeCreate] = [nodeCrypto.createDiffieHellmanGroup, nodeCrypto.createDiffieHellman];
    const built: string[] = [];
    nodeCrypto.createDiffieHellmanGroup = ((name: string) => {
      built.push(`createDiffieHellmanGroup ${name}`);
      return nodeGroup(name);
    }) as typeof nodeGroup;
    nodeCrypto.createDiffieHellman = ((...args: Parameters<typeof nodeCreate>) => {
      built.push('createDiffieHellman');
      return nodeCreate(...args);
    }) as typeof nodeCreate;
    try {
      const hostKey = parsedKey(ssh2, 'ecdsa').key;
      for (let login = 0; login < 2; login++)
        expect(await loginOutcome(ssh2, hostKey, 'diffie-hellman-group1-sha1')).toBe('ready');
    } finally {
      [nodeCrypto.createDiffieHellmanGroup, nodeCrypto.createDiffieHellman] = [nodeGroup, nodeCreate];
    }
    expect(built).toEqual(['createDiffieHellman']);
  });

  it('a second load returns the same ssh2, still drawing from its first pool', async () => {
    const second = recordingSource();
    expect(requireSsh2(new RandomPool(4096, second.fill))).toBe(ssh2);
    const seen = await clearBytesOf(ssh2, 2);
    expect(second.refills.length + second.otherCalls()).toBe(0);
    expectDrawnInOrder(Buffer.concat(source.refills), seen, drawnUpTo);
  });
});
