/**
 * A file served from the root is read in chunks as the transfer reaches them (three buffers, handed
 * from one download to the next), not whole before the first block: every block still carries the
 * right bytes, across chunk boundaries, with windows re-sent after losses, in downloads that run on
 * buffers an earlier one used, and a file that shrinks ends the transfer short.
 */
import { randomBytes } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlocks } from '../../src/tftp/blocks.js';
import { tftpGet } from '../../src/tftp/client.js';
import { sameBytes } from './peers.js';
import { startLossyProxy } from './lossy-proxy.js';
import { startServer, type ServerFixture } from './server-fixture.js';

let fixture: ServerFixture;
beforeAll(async () => {
  fixture = await startServer({ timeoutMs: 40, retries: 100 });
});
afterAll(() => fixture.stop());

describe('FileBlocks', () => {
  it('gives each block of a file of several chunks, window by window, with roll-backs', async () => {
    const blksize = 1428;
    const windowsize = 16;
    const data = randomBytes(3 * 2 ** 20 + 77);
    const path = join(fixture.root, 'chunks.bin');
    await writeFile(path, data);
    const handle = await open(path, 'r');
    try {
      const blocks = new FileBlocks(handle, data.length, blksize, windowsize);
      const last = Math.floor(data.length / blksize) + 1;
      const mismatched: number[] = [];
      // Windows that move on by less than a window at times (a partial ACK rolls the sender back).
      for (let base = 1; base <= last; base += base % 3 === 0 ? 5 : windowsize) {
        const end = Math.min(base + windowsize - 1, last);
        await blocks.load(base, end);
        for (let n = base; n <= end; n++) {
          if (!blocks.block(n).equals(data.subarray((n - 1) * blksize, n * blksize))) mismatched.push(n);
        }
      }
      expect(mismatched).toEqual([]);
      expect(blocks.block(last).length).toBe(data.length % blksize);
    } finally {
      await handle.close();
    }
  });

  it('ends short when the file shrank after it was opened', async () => {
    const path = join(fixture.root, 'shrinks.bin');
    await writeFile(path, Buffer.alloc(10_000, 1));
    const handle = await open(path, 'r');
    try {
      const blocks = new FileBlocks(handle, 10_000, 512, 1);
      await writeFile(path, Buffer.alloc(1000, 2));
      await blocks.load(1, 1);
      await blocks.load(2, 2);
      await blocks.load(3, 3);
      expect([blocks.block(1).length, blocks.block(2).length, blocks.block(3).length]).toEqual([512, 488, 0]);
    } finally {
      await handle.close();
    }
  });
});

it('serves a root file of several chunks byte-identical through a lossy path, windowed', async () => {
  const data = randomBytes(2 ** 20 + 5);
  await writeFile(join(fixture.root, 'big-lossy.bin'), data);
  const proxy = await startLossyProxy(fixture.port('127.0.0.1'), {
    drop: 0.02,
    duplicate: 0.02,
    delay: 0.02,
    seed: 16,
  });
  try {
    const back = await tftpGet({
      server: '127.0.0.1',
      port: proxy.port,
      filename: 'big-lossy.bin',
      blksize: 1428,
      windowsize: 16,
      timeoutMs: 40,
      // Many cheap retries: a process starved on a loaded machine must not run out of them.
      retries: 100,
    });
    expect(sameBytes(back, data)).toBe('identical');
    expect(proxy.stats.dropped).toBeGreaterThan(0);
  } finally {
    await proxy.close();
  }
});

it('gives every download its own bytes while finished downloads hand their buffers to the next', async () => {
  const files = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const data = randomBytes(2 ** 20 + 1000 * i);
      await writeFile(join(fixture.root, `reuse-${i}.bin`), data);
      return { name: `reuse-${i}.bin`, data };
    }),
  );
  const get = (filename: string) =>
    tftpGet({
      server: '127.0.0.1',
      port: fixture.port('127.0.0.1'),
      filename,
      blksize: 1428,
      windowsize: 16,
    });
  // Two rounds of four at once: the second round's chunks are the first round's buffers.
  for (let round = 0; round < 2; round++) {
    const back = await Promise.all(files.map((f) => get(f.name)));
    expect(back.map((b, i) => sameBytes(b, files[i]!.data))).toEqual(files.map(() => 'identical'));
  }
});
