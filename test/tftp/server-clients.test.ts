/**
 * Our server against the Debian clients over 127.0.0.1 and ::1: tftp-hpa (binary; it has no blksize
 * option), atftp (blksize, tsize, timeout, windowsize), busybox (blksize) and curl (blksize). Each
 * file is uploaded, compared on disk, downloaded under another name and compared again.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type Loopback, sameBytes } from './peers.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { startServer } from './server-fixture.js';

interface Client {
  readonly name: string;
  readonly blksize: number;
  readonly families: readonly Loopback[];
  /** curl 7.88 fails an empty download (exit 71, getpeername) from tftpd-hpa as well: not ours to test. */
  readonly emptyDownloadBroken?: boolean;
  put(address: Loopback, port: number, local: string, remote: string): [string, string[]];
  get(address: Loopback, port: number, remote: string, local: string): [string, string[]];
}

const hpaFlag = (address: Loopback) => (address === '::1' ? '-6' : '-4');
const url = (address: Loopback, port: number, remote: string) =>
  `tftp://${address === '::1' ? '[::1]' : address}:${port}/${remote}`;
const atftpOptions = [
  '--option',
  'blksize 1024',
  '--option',
  'tsize 0',
  '--option',
  'timeout 2',
  '--option',
  'windowsize 4',
];

const clients: Client[] = [
  {
    name: 'tftp-hpa binary',
    blksize: 512,
    families: ['127.0.0.1', '::1'],
    put: (a, p, l, r) => ['tftp', [hpaFlag(a), a, String(p), '-m', 'binary', '-c', 'put', l, r]],
    get: (a, p, r, l) => ['tftp', [hpaFlag(a), a, String(p), '-m', 'binary', '-c', 'get', r, l]],
  },
  {
    name: 'atftp blksize/tsize/timeout/windowsize',
    blksize: 1024,
    families: ['127.0.0.1', '::1'],
    put: (a, p, l, r) => ['atftp', [...atftpOptions, '-p', '-l', l, '-r', r, a, String(p)]],
    get: (a, p, r, l) => ['atftp', [...atftpOptions, '-g', '-r', r, '-l', l, a, String(p)]],
  },
  {
    name: 'busybox blksize',
    blksize: 1024,
    families: ['127.0.0.1', '::1'],
    put: (a, p, l, r) => ['busybox', ['tftp', '-b', '1024', '-p', '-l', l, '-r', r, a, String(p)]],
    get: (a, p, r, l) => ['busybox', ['tftp', '-b', '1024', '-g', '-r', r, '-l', l, a, String(p)]],
  },
  {
    name: 'curl tftp-blksize',
    blksize: 1428,
    emptyDownloadBroken: true,
    families: ['127.0.0.1', '::1'],
    put: (a, p, l, r) => ['curl', ['-sS', '--tftp-blksize', '1428', '-T', l, url(a, p, r)]],
    get: (a, p, r, l) => ['curl', ['-sS', '--tftp-blksize', '1428', '-o', l, url(a, p, r)]],
  },
];

const fixture = useStarted(() => startServer());
const work = useTempDir('netops-tftp-client-', 0o777);

describe.each(clients)('$name', (client) => {
  const sizes = [0, 511, 512, client.blksize * 3, 100 * 1024];
  describe.each(client.families)('over %s', (address) => {
    it.each(sizes)('uploads and downloads %i bytes byte-identical', async (size) => {
      const data = randomBytes(size);
      const tag = `${client.name.split(' ')[0]}-${address === '::1' ? 'v6' : 'v4'}-${size}`;
      const local = join(work, `${tag}.src`);
      await writeFile(local, data);
      const port = fixture.port(address);
      const [putCommand, putArgs] = client.put(address, port, local, `${tag}.bin`);
      const put = await run(putCommand, putArgs);
      expect(put.code, put.stderr).toBe(0);
      expect(sameBytes(await readFile(join(fixture.root, `${tag}.bin`)), data)).toBe('identical');

      if (size === 0 && client.emptyDownloadBroken) return;
      const back = join(work, `${tag}.back`);
      const [getCommand, getArgs] = client.get(address, port, `${tag}.bin`, back);
      const get = await run(getCommand, getArgs);
      expect(get.code, get.stderr).toBe(0);
      expect(sameBytes(await readFile(back), data)).toBe('identical');
    });
  });
});

describe('log lines', () => {
  it('has a STARTED and a SUCCESS event per transfer, with the peer, op, mode and size', () => {
    const success = fixture.events.filter((e) => e.event === 'success');
    expect(success.length).toBeGreaterThan(0);
    const upload = success.find((e) => e.op === 'WRQ' && e.file === 'busybox-v4-0.bin');
    expect(upload).toMatchObject({ peer: '127.0.0.1', mode: 'octet', bytes: 0 });
    expect(
      fixture.events.some(
        (e) => e.event === 'started' && e.file === 'busybox-v6-512.bin' && e.peer === '::1',
      ),
    ).toBe(true);
  });
});

/**
 * A real client that keeps its port: tftp-hpa binds one socket per session, so two puts in a row
 * come from the same address and port, as devices behind one NAT address can. The server lingers a
 * minute after each final ACK (3 x its 20 s timeout): a second WRQ taken for the first transfer's
 * retransmission would get no answer before the client's own 10 s timeout gave up.
 */
describe('tftp-hpa, two uploads in one session (one client port)', () => {
  const patient = useStarted(() => startServer({ timeoutMs: 20_000 }));

  it.each(['127.0.0.1', '::1'] as const)('over %s: both arrive byte-identical', async (address) => {
    const tag = `session-${address === '::1' ? 'v6' : 'v4'}`;
    const files = [randomBytes(3000), randomBytes(700)];
    const commands = ['binary', 'timeout 10'];
    for (const [index, data] of files.entries()) {
      const local = join(work, `${tag}-${index}.src`);
      await writeFile(local, data);
      commands.push(`put ${local} ${tag}-${index}.bin`);
    }
    const session = await run(
      'tftp',
      [hpaFlag(address), address, String(patient.port(address))],
      `${commands.join('\n')}\nquit\n`,
    );
    expect(session.code, session.stderr).toBe(0);
    expect(`${session.stdout}${session.stderr}`).not.toMatch(/timed out/i);
    for (const [index, data] of files.entries())
      expect(sameBytes(await readFile(join(patient.root, `${tag}-${index}.bin`)), data)).toBe('identical');
  });
});
