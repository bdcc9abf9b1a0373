/**
 * The packer of a run's new copies, against a stand-in for `git fast-import` that records the stream
 * it is given: nothing runs until the packer is started, the copies held before then reach git first
 * and in order, framed as fast-import reads them, and a packer never started drops them; with
 * families, each family's copies go to a git of their own. The real git behind it is
 * test/store/git-store.test.ts ("GitStore with many new copies").
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlobPacker } from '../../src/store/blob-packer.js';
import { FAMILY_MIN_HOSTS, FamilyPackers, packingFamilies } from '../../src/store/family-packers.js';
import type { StdinFeed } from '../../src/store/git.js';

/**
 * A fast-import stand-in: how many times it ran and the text of the stream each run read. Its pipe
 * takes `pipeBytes` at a time and each write a tick, as a pipe that git reads behind.
 */
function recordingGit(pipeBytes = 16 * 1024) {
  const streams: string[] = [];
  const run = (feed: StdinFeed) =>
    new Promise<void>((resolve) => {
      const chunks: Buffer[] = [];
      const stdin = new Writable({
        highWaterMark: pipeBytes,
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          setImmediate(done);
        },
      });
      stdin.on('finish', () => {
        streams.push(Buffer.concat(chunks).toString('utf8'));
        resolve();
      });
      feed(stdin);
    });
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

  it('waits for room in a pipe git reads behind, and hands it every blob whole and in order', async () => {
    const git = recordingGit(64);
    const packer = new BlobPacker(git.run);
    const texts = Array.from({ length: 200 }, (_, i) => `hostname r${i}\n${'!\n'.repeat(i)}`);
    packer.start();
    // Offered while the pipe is full: some are not taken (git is behind); `add` waits for room.
    const taken = texts.map((text) => packer.offer(Buffer.from(text)));
    expect(taken).toContain(false);
    for (const [i, text] of texts.entries()) if (!taken[i]) await packer.add(Buffer.from(text));
    expect(await packer.finish()).toBeUndefined();
    const order = [...texts.filter((_, i) => taken[i]), ...texts.filter((_, i) => !taken[i])];
    expect(git.streams).toEqual([order.map(frame).join('')]);
  });

  it("settles finish with git's failure, and takes no more blobs once git ended", async () => {
    const packer = new BlobPacker(
      (feed) =>
        new Promise((_, reject) => {
          // git reads the first bytes, then fails
          feed(new Writable({ write: () => reject(new Error('fatal: disk full')) }));
        }),
    );
    packer.offer(Buffer.from('hostname r1\n'));
    packer.start();
    await new Promise(setImmediate);
    expect(packer.offer(Buffer.from('hostname r2\n'))).toBe(false);
    expect(await packer.finish()).toEqual(new Error('fatal: disk full'));
  });
});

describe('FamilyPackers', () => {
  const big = () => Buffer.alloc(6 * 1024 * 1024, 0x61);

  it('gives each family a git of its own, which reads its blobs in the order they came', async () => {
    const git = recordingGit();
    const packers = new FamilyPackers(git.run);
    for (const text of ['ios r1\n', 'nxos r2\n', 'ios r3\n', 'nxos r4\n'])
      expect(packers.offer(text.split(' ')[0] as string, Buffer.from(text))).toBe(true);
    await new Promise(setImmediate);
    expect(git.streams).toEqual([]);
    packers.start();
    await packers.add('ios', Buffer.from('ios r5\n'));
    expect(await packers.finish()).toBeUndefined();
    expect([...git.streams].sort()).toEqual([
      ['ios r1\n', 'ios r3\n', 'ios r5\n'].map(frame).join(''),
      ['nxos r2\n', 'nxos r4\n'].map(frame).join(''),
    ]);
  });

  it('starts at once the git of a family first seen after the start', async () => {
    const git = recordingGit();
    const packers = new FamilyPackers(git.run);
    packers.start();
    expect(packers.offer('eos', Buffer.from('eos r1\n'))).toBe(true);
    expect(await packers.finish()).toBeUndefined();
    expect(git.streams).toEqual([frame('eos r1\n')]);
  });

  it('holds no more before git starts than one packer would, whatever the families', () => {
    const packers = new FamilyPackers(recordingGit().run);
    expect([packers.offer('ios', big()), packers.offer('nxos', big()), packers.offer('eos', big())]).toEqual([
      true,
      true,
      false,
    ]);
    void packers.finish();
  });

  it('starts no git for a family first seen once finished: none may work in a store let go of', async () => {
    const git = recordingGit();
    const packers = new FamilyPackers(git.run);
    packers.start();
    packers.offer('ios', Buffer.from('ios r1\n'));
    const finished = packers.finish();
    expect(packers.offer('nxos', Buffer.from('nxos r2\n'))).toBe(false);
    await packers.add('eos', Buffer.from('eos r3\n'));
    expect(await finished).toBeUndefined();
    expect(git.streams).toEqual([frame('ios r1\n')]);
  });

  it('gives a family a git of its own only when it has enough hosts for fast-import to pack it', () => {
    const families = new Map<string, string>();
    for (let i = 0; i < FAMILY_MIN_HOSTS; i++) families.set(`ios${i}`, 'ios');
    for (let i = 0; i < FAMILY_MIN_HOSTS - 1; i++) families.set(`nx${i}`, 'nxos');
    const familyOf = packingFamilies(families);
    expect([familyOf('ios7'), familyOf('nx7'), familyOf('unknown')]).toEqual(['ios', '', '']);
  });

  it("settles finish with a family's failure once every git has ended", async () => {
    const git = recordingGit();
    let runs = 0;
    // The first family's git packs; the second's reads its first bytes, then fails.
    const packers = new FamilyPackers((feed) =>
      ++runs === 1
        ? git.run(feed)
        : new Promise((_, reject) => {
            feed(new Writable({ write: () => reject(new Error('fatal: disk full')) }));
          }),
    );
    packers.offer('ios', Buffer.from('ios r1\n'));
    packers.offer('nxos', Buffer.from('nxos r2\n'));
    packers.start();
    expect(await packers.finish()).toEqual(new Error('fatal: disk full'));
    expect(git.streams).toEqual([frame('ios r1\n')]);
  });
});
