/**
 * ssh2 loaded by someone else before netops' loader (src/transport/ssh2-module.ts), as the lab's SSH
 * server does when it shares netops' process: the loader returns that ssh2 unchanged, and ssh2 keeps
 * calling the `randomFillSync` it took from Node's crypto module when it loaded. Its own test file:
 * this process must load ssh2 the plain way first.
 */
import { randomFillSync } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { RandomPool } from '../../src/transport/random-pool.js';
import { requireSsh2 } from '../../src/transport/ssh2-module.js';
import { kexinitPeer } from './kexinit-peer.js';

const require = createRequire(import.meta.url);

it("returns an ssh2 loaded before as it is: its packets' bytes still come from Node's function, none from the pool", async () => {
  const nodeCrypto = require('node:crypto') as typeof NodeCrypto;
  const nodeFill = nodeCrypto.randomFillSync;
  let nodeCalls = 0;
  nodeCrypto.randomFillSync = ((...args: Parameters<typeof randomFillSync>) => {
    nodeCalls++;
    return nodeFill(...args);
  }) as typeof randomFillSync;
  let poolCalls = 0;
  const peer = await kexinitPeer();
  try {
    const plain = (await import('ssh2')).default;
    const pooled = requireSsh2(
      new RandomPool(4096, ((...args: Parameters<typeof randomFillSync>) => {
        poolCalls++;
        return randomFillSync(...args);
      }) as typeof randomFillSync),
    );
    expect(pooled).toBe(plain);
    const client = new pooled.Client();
    client.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.connect({ host: '127.0.0.1', port: peer.port, username: 'u', password: 'p' });
    const { cookie, padding } = await peer.next();
    await closed;
    expect(cookie.length).toBe(16);
    expect(padding.length).toBeGreaterThanOrEqual(4);
    // the cookie and the first packet's padding: a call each
    expect(nodeCalls).toBeGreaterThanOrEqual(2);
    expect(poolCalls).toBe(0);
  } finally {
    nodeCrypto.randomFillSync = nodeFill;
    await peer.close();
  }
});
