/**
 * Standalone mode (`netops tftp serve --root DIR`): what a classic tftpd must refuse, and that a
 * refusal or a failed upload leaves nothing behind (no partial or temporary file), and no
 * symbolic link leads a read or a write out of the root.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, symlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { encodeData, encodeRequest } from '../../src/tftp/packet.js';
import { run, sameBytes } from './peers.js';
import { RawPeer } from './raw.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { startServer } from './server-fixture.js';

const fixture = useStarted(() => startServer({ maxFileBytes: 4000 }));
let port: number;
beforeAll(async () => {
  port = fixture.port('127.0.0.1');
  await writeFile(join(fixture.root, 'existing.cfg'), 'original\n');
});

const put = (filename: string, data: Buffer, extra: object = {}) =>
  tftpPut({ server: '127.0.0.1', port, filename, data, ...extra }).catch((e) => e);
const files = async () => (await readdir(fixture.root)).sort();

describe('refusals', () => {
  it.each([
    ['../escape.cfg', 2],
    ['sub/../../escape.cfg', 2],
    ['/tmp/absolute.cfg', 2],
    ['C:\\windows.cfg', 2],
    ['missing-dir/x.cfg', 1],
  ])('refuses an upload to %s with TFTP error %i and writes nothing', async (filename, code) => {
    expect(await put(filename, Buffer.from('x'))).toMatchObject({ kind: 'remote-error', code });
    expect(await files()).toEqual(['existing.cfg']);
    expect(await readdir(dirname(fixture.root))).not.toContain('escape.cfg');
  });

  it('refuses a download of ../ and absolute paths, and of a missing file with error 1', async () => {
    const get = (filename: string) => tftpGet({ server: '127.0.0.1', port, filename }).catch((e) => e);
    expect(await get('../etc/passwd')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect(await get('/etc/passwd')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect(await get('nope.cfg')).toMatchObject({ kind: 'remote-error', code: 1 });
  });

  it('refuses to overwrite an existing file (error 6) and keeps its content', async () => {
    expect(await put('existing.cfg', Buffer.from('replaced\n'))).toMatchObject({
      kind: 'remote-error',
      code: 6,
    });
    expect(await readFile(join(fixture.root, 'existing.cfg'), 'utf8')).toBe('original\n');
  });

  it('refuses a file over the limit up front when tsize announces it (error 3)', async () => {
    expect(await put('big-tsize.bin', Buffer.alloc(5000), { blksize: 1024 })).toMatchObject({
      kind: 'remote-error',
      code: 3,
    });
    expect(fixture.events.find((e) => e.file === 'big-tsize.bin')?.reason).toContain(
      'over the limit of 4000 bytes',
    );
  });

  it('refuses a file that ends short of its announced tsize, as from a client ignoring the OACK', async () => {
    // The client asks blksize 1024 and announces 1500 bytes, then sends 512-byte blocks as if the
    // OACK were ACK 0: its first block looks like a short last one.
    const peer = await RawPeer.open();
    try {
      const asked = new Map([
        ['blksize', '1024'],
        ['tsize', '1500'],
      ]);
      peer.send(encodeRequest('WRQ', 'ignored-oack.cfg', 'octet', asked), port);
      const oack = await peer.next();
      expect(oack?.packet.op).toBe('OACK');
      peer.send(encodeData(1, Buffer.alloc(512, 'a')), oack?.port as number);
      expect((await peer.next())?.packet).toEqual({
        op: 'ERROR',
        code: 0,
        message: 'the file ended after 512 of the 1500 bytes its sender announced (tsize)',
      });
      expect(await files()).toEqual(['existing.cfg']);
    } finally {
      peer.close();
    }
  });

  it('keeps an upload whose sender did not know its size (curl from stdin announces tsize 0)', async () => {
    const own = await startServer();
    try {
      const url = `tftp://127.0.0.1:${own.port('127.0.0.1')}/from-stdin.cfg`;
      const sent = await run('curl', ['-sS', '--tftp-blksize', '1024', '-T', '-', url], 'hostname r1\n');
      expect(sent.code, sent.stderr).toBe(0);
      expect(await readFile(join(own.root, 'from-stdin.cfg'), 'utf8')).toBe('hostname r1\n');
      const started = own.events.find((e) => e.event === 'started' && e.file === 'from-stdin.cfg');
      expect(started?.options).toMatchObject({ tsize: '0' });
    } finally {
      await own.stop();
    }
  });

  it('stops a file over the limit mid-transfer (error 3) and leaves no partial file', async () => {
    expect(await put('big-plain.bin', Buffer.alloc(5000))).toMatchObject({ kind: 'remote-error', code: 3 });
    expect(await files()).toEqual(['existing.cfg']);
  });

  it('refuses busybox uploading ../ too', async () => {
    const result = await run('busybox', [
      'tftp',
      '-p',
      '-l',
      '/etc/hostname',
      '-r',
      '../bb.cfg',
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/\.\./);
    expect(await files()).toEqual(['existing.cfg']);
  });
});

describe('options', () => {
  it('replaces files with overwrite, atomically', async () => {
    const replacing = await startServer({ overwrite: true });
    try {
      await writeFile(join(replacing.root, 'r1-confg'), 'old\n');
      await tftpPut({
        server: '::1',
        port: replacing.port('::1'),
        filename: 'r1-confg',
        data: Buffer.from('new\n'),
      });
      expect(await readFile(join(replacing.root, 'r1-confg'), 'utf8')).toBe('new\n');
      expect(await readdir(replacing.root)).toEqual(['r1-confg']);
    } finally {
      await replacing.stop();
    }
  });

  it('refuses sources outside the allow list with an access violation', async () => {
    const guarded = await startServer({ allow: ['127.0.0.2/32', '2001:db8::/32'] });
    try {
      const refused = await tftpPut({
        server: '127.0.0.1',
        port: guarded.port('127.0.0.1'),
        filename: 'x.cfg',
        data: Buffer.from('x'),
      }).catch((e) => e);
      expect(refused).toMatchObject({ kind: 'remote-error', code: 2 });
      const allowed = await tftpPut({
        server: '127.0.0.1',
        port: guarded.port('127.0.0.1'),
        filename: 'y.cfg',
        data: Buffer.from('y'),
        localAddress: '127.0.0.2',
      });
      expect(allowed.bytes).toBe(1);
      expect(await readdir(guarded.root)).toEqual(['y.cfg']);
    } finally {
      await guarded.stop();
    }
  });
});

describe('uploads written to disk as they arrive', () => {
  it('has each of six concurrent uploads, many write buffers long, in place and whole by its final ACK', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({
      name: `w${i}.bin`,
      data: randomBytes(300 * 1024 + 7 * i),
    }));
    const writer = await startServer({ maxFileBytes: 2 ** 20 });
    try {
      await Promise.all(
        files.map(async ({ name, data }) => {
          await tftpPut({
            server: '127.0.0.1',
            port: writer.port('127.0.0.1'),
            filename: name,
            data,
            blksize: 1428,
            windowsize: 8,
          });
          // The final ACK came: the file is already under its name, complete.
          expect(sameBytes(await readFile(join(writer.root, name)), data)).toBe('identical');
        }),
      );
      expect((await readdir(writer.root)).sort()).toEqual(files.map((f) => f.name).sort());
    } finally {
      await writer.stop();
    }
  });
});

describe('an upload of several MiB', () => {
  it('is in place and whole by its final ACK', async () => {
    const data = randomBytes(5 * 2 ** 20 + 333);
    const writer = await startServer({ maxFileBytes: 8 * 2 ** 20 });
    try {
      await tftpPut({
        server: '::1',
        port: writer.port('::1'),
        filename: 'image.bin',
        data,
        blksize: 1428,
        windowsize: 16,
      });
      expect(sameBytes(await readFile(join(writer.root, 'image.bin')), data)).toBe('identical');
      expect(await readdir(writer.root)).toEqual(['image.bin']);
    } finally {
      await writer.stop();
    }
  });
});

describe('an upload the disk does not keep', () => {
  afterEach(() => vi.restoreAllMocks());

  const eio = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });

  /** The prototype of node:fs/promises' file handles, whose methods the uploads call. */
  async function fileHandles(): Promise<FileHandle> {
    const probe = await open(join(fixture.root, 'existing.cfg'), 'r');
    await probe.close();
    return Object.getPrototypeOf(probe) as FileHandle;
  }

  /** A 3 MiB upload to a fresh server: refused with TFTP error 3 naming EIO, and nothing left in its root. */
  async function expectRefused(): Promise<void> {
    const writer = await startServer({ maxFileBytes: 4 * 2 ** 20 });
    try {
      const error = await tftpPut({
        server: '127.0.0.1',
        port: writer.port('127.0.0.1'),
        filename: 'big.bin',
        data: randomBytes(3 * 2 ** 20 + 1000),
        blksize: 1428,
        windowsize: 16,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'remote-error', code: 3 });
      expect((error as Error).message).toContain('cannot store the file (EIO)');
      expect(await readdir(writer.root)).toEqual([]);
    } finally {
      await writer.stop();
    }
  }

  it('fails with TFTP error 3 when the fsync before the final ACK reports EIO, and leaves no file', async () => {
    // Late, as a disk answers: the final ACK must wait for the answer.
    vi.spyOn(await fileHandles(), 'sync').mockImplementationOnce(
      () => new Promise((_, reject) => setTimeout(() => reject(eio), 30)),
    );
    await expectRefused();
  });

  it('fails with TFTP error 3 when the folder fsync after placing the file reports EIO, and leaves no file', async () => {
    // The file's own fsync passes; the folder's, which makes its new name durable, fails late.
    const handles = await fileHandles();
    const sync = handles.sync as (this: FileHandle) => Promise<void>;
    let syncs = 0;
    vi.spyOn(handles, 'sync').mockImplementation(function (this: FileHandle) {
      return ++syncs === 2 ? new Promise((_, reject) => setTimeout(() => reject(eio), 30)) : sync.call(this);
    });
    await expectRefused();
    expect(syncs).toBe(2);
  });

  it('with overwrite, a folder fsync that reports EIO fails the upload but keeps the file that replaced the old one', async () => {
    // The old file is gone once the new one is renamed over it: removing the new one would leave nothing.
    const replacing = await startServer({ overwrite: true });
    try {
      await writeFile(join(replacing.root, 'r1.cfg'), 'old\n');
      const data = randomBytes(200_000);
      const handles = await fileHandles();
      const sync = handles.sync as (this: FileHandle) => Promise<void>;
      let syncs = 0;
      vi.spyOn(handles, 'sync').mockImplementation(function (this: FileHandle) {
        return ++syncs === 2 ? Promise.reject(eio) : sync.call(this);
      });
      const error = await tftpPut({
        server: '127.0.0.1',
        port: replacing.port('127.0.0.1'),
        filename: 'r1.cfg',
        data,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'remote-error', code: 3 });
      expect(sameBytes(await readFile(join(replacing.root, 'r1.cfg')), data)).toBe('identical');
      expect(await readdir(replacing.root)).toEqual(['r1.cfg']);
    } finally {
      await replacing.stop();
    }
  });

  // The kernel reports a writeback error to one sync only: the writes, the later writebacks and the
  // fsync before the final ACK all succeed after it, and the upload must fail anyway, whether the
  // error lands while a write is under way or only after the last block was written.
  it.each(['while a write is under way', 'after the last write'] as const)(
    'fails with TFTP error 3 when its first early writeback (datasync) reports EIO %s, and leaves no file',
    async (when) => {
      const handles = await fileHandles();
      let failWriteback: (() => void) | undefined;
      vi.spyOn(handles, 'datasync').mockImplementationOnce(
        () =>
          new Promise((_, reject) => {
            failWriteback = () => reject(eio);
          }),
      );
      const write = handles.write as (...args: unknown[]) => Promise<unknown>;
      vi.spyOn(handles, 'write').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
        const written = await write.apply(this, args);
        const fail = failWriteback;
        const last = (args[2] as number) < 64 * 1024; // the upload's last, partial buffer
        if (fail && when === 'while a write is under way') {
          failWriteback = undefined;
          fail();
          await new Promise((settled) => setTimeout(settled, 10)); // the write succeeds after it
        } else if (fail && last) {
          failWriteback = undefined;
          setTimeout(fail, 30);
        }
        return written;
      } as never);
      await expectRefused();
    },
  );
});

describe('limits', () => {
  it('drops requests beyond maxTransfers (logged as busy) and serves them once a slot is free', async () => {
    const limited = await startServer({ maxTransfers: 1 });
    const holder = await RawPeer.open();
    try {
      const port4 = limited.port('127.0.0.1');
      holder.send(encodeRequest('WRQ', 'slow.bin', 'octet'), port4);
      const tid = (await holder.next())?.port as number;
      const refused = await tftpPut({
        server: '127.0.0.1',
        port: port4,
        filename: 'second.bin',
        data: Buffer.from('2'),
        timeoutMs: 30,
        retries: 1,
      }).catch((e) => e);
      expect(refused).toMatchObject({ kind: 'timeout' });
      expect(limited.events.find((e) => e.event === 'busy')).toMatchObject({ file: 'second.bin' });
      holder.send(encodeData(1, Buffer.from('1')), tid);
      expect((await holder.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      await tftpPut({
        server: '127.0.0.1',
        port: port4,
        filename: 'second.bin',
        data: Buffer.from('2'),
        timeoutMs: 200,
        retries: 20,
      });
      expect((await readdir(limited.root)).sort()).toEqual(['second.bin', 'slow.bin']);
    } finally {
      holder.close();
      await limited.stop();
    }
  });
});

describe('symbolic links never lead out of the root', () => {
  const linked = useStarted(() => startServer({ overwrite: true }));
  const outside = useTempDir('netops-tftp-outside-', 0o777);
  beforeAll(async () => {
    await writeFile(join(outside, 'secret.txt'), 'outside secret\n');
    await writeFile(join(linked.root, 'inside.txt'), 'inside\n');
    await symlink(join(outside, 'secret.txt'), join(linked.root, 'to-secret.txt'));
    await symlink(outside, join(linked.root, 'out-dir'));
    await symlink(join(outside, 'new.cfg'), join(linked.root, 'dangling.cfg'));
    await mkdir(join(linked.root, 'sub'));
    await symlink(join(linked.root, 'sub'), join(linked.root, 'sub-link'));
  });
  const at = () => ({ server: '127.0.0.1', port: linked.port('127.0.0.1') });
  const get = (filename: string) => tftpGet({ ...at(), filename }).catch((e) => e);
  const putTo = (filename: string) =>
    tftpPut({ ...at(), filename, data: Buffer.from('written through a link\n') }).catch((e) => e);

  it('refuses reads through a linked file or a linked folder (error 2)', async () => {
    expect(await get('to-secret.txt')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect(await get('out-dir/secret.txt')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect((await get('inside.txt')).toString()).toBe('inside\n');
  });

  it('refuses writes to a link (even a dangling one, even with overwrite) or into a linked folder', async () => {
    expect(await putTo('to-secret.txt')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect(await putTo('dangling.cfg')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect(await putTo('out-dir/planted.cfg')).toMatchObject({ kind: 'remote-error', code: 2 });
    expect((await readdir(outside)).sort()).toEqual(['secret.txt']);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside secret\n');
  });

  it('follows a folder link that stays inside the root', async () => {
    await tftpPut({ ...at(), filename: 'sub-link/r1.cfg', data: Buffer.from('r1\n') });
    expect(await readFile(join(linked.root, 'sub', 'r1.cfg'), 'utf8')).toBe('r1\n');
  });
});

describe('option refusals name the RFC', () => {
  it('a blksize below 8 is refused with error 8 naming the range 8-65464', async () => {
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('WRQ', 'small.bin', 'octet', new Map([['blksize', '4']])), port);
      expect((await peer.next())?.packet).toEqual({
        op: 'ERROR',
        code: 8,
        message: 'blksize 4 is outside 8-65464',
      });
    } finally {
      peer.close();
    }
  });

  it('a writer announcing a terabyte is refused with error 3 before any data', async () => {
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('WRQ', 'huge.bin', 'octet', new Map([['tsize', '1000000000000']])), port);
      expect((await peer.next())?.packet).toMatchObject({ op: 'ERROR', code: 3 });
      expect(await files()).toEqual(['existing.cfg']);
    } finally {
      peer.close();
    }
  });
});
