/**
 * The packer of a run's new copies, against a stand-in for `git fast-import` that records the stream
 * it is given: nothing runs until the packer is started, the copies held before then reach git first
 * and in order, framed as fast-import reads them, and a packer never started drops them. The real
 * git behind it is test/store/git-store.test.ts ("GitStore with many new copies").
 */
import { describe, expect, it } from 'vitest';
import { BlobPacker } from '../../src/store/blob-packer.js';

/** A fast-import stand-in: how many times it ran and the text of the stream each run read. */
function recordingGit() {
  const streams: string[] = [];
  const run = async (input: AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk);
    streams.push(Buffer.concat(chunks).toString('utf8'));
  };
  return { run, streams };
}

const frame = (text: string) => `blob\ndata ${Buffer.byteLength(text)}\n${text}`;

describe('BlobPacker', () => {
  it('holds what it is offered until started, then hands git those first and the rest after', async () => {
    const git = recordingGit();
    const packer = new BlobPacker(git.run);
    expect(packer.offer(Buffer.from('hostname r1\n'))).toBe(true);
    expect(packer.offer('hostname r2 ü\n')).toBe(true);
    await new Promise(setImmediate);
    expect(git.streams).toEqual([]);
    packer.start();
    expect(packer.offer(Buffer.from('hostname r3\n'))).toBe(true);
    await packer.add(Buffer.from('hostname r4\n'));
    expect(await packer.finish()).toBeUndefined();
    expect(git.streams).toEqual([
      ['hostname r1\n', 'hostname r2 ü\n', 'hostname r3\n', 'hostname r4\n'].map(frame).join(''),
    ]);
  });

  it('runs no git when never started, and takes nothing after it finished', async () => {
    const git = recordingGit();
    const packer = new BlobPacker(git.run);
    packer.offer(Buffer.from('hostname r1\n'));
    expect(await packer.finish()).toBeUndefined();
    expect(packer.offer(Buffer.from('hostname r2\n'))).toBe(false);
    packer.start();
    expect(packer.started).toBe(false);
    expect(git.streams).toEqual([]);
  });

  it('refuses to hold more than its memory bound before git starts', () => {
    const packer = new BlobPacker(recordingGit().run);
    const big = Buffer.alloc(6 * 1024 * 1024, 0x61);
    expect([packer.offer(big), packer.offer(big), packer.offer(big)]).toEqual([true, true, false]);
    expect(packer.offer(Buffer.from('hostname r1\n'))).toBe(true);
    void packer.finish();
  });

  it("settles finish with git's failure, and takes no more blobs once git ended", async () => {
    const packer = new BlobPacker(async (input) => {
      for await (const chunk of input) if (chunk.length > 0) throw new Error('fatal: disk full');
    });
    packer.offer(Buffer.from('hostname r1\n'));
    packer.start();
    await new Promise(setImmediate);
    expect(packer.offer(Buffer.from('hostname r2\n'))).toBe(false);
    expect(await packer.finish()).toEqual(new Error('fatal: disk full'));
  });
});
