/**
 * Our client (the one simulated devices use) against Debian's tftpd-hpa and atftpd over 127.0.0.1
 * and ::1: uploads land byte-identical, downloads return the served bytes, a refusal arrives as a
 * remote-error with the server's code, a source address that is not on the host fails to bind.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TftpClientError, tftpGet, tftpPut } from '../../src/tftp/client.js';
import { startAtftpd, startTftpdHpa, type Daemon, type Loopback, sameBytes } from './peers.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// atftpd 0.8 has no IPv6 listener, so it is tried over IPv4 only.
const peers: Array<[string, Loopback, (dir: string, address: Loopback) => Promise<Daemon>]> = [
  ['tftpd-hpa', '127.0.0.1', startTftpdHpa],
  ['tftpd-hpa', '::1', startTftpdHpa],
  ['atftpd', '127.0.0.1', (dir) => startAtftpd(dir, '127.0.0.1')],
];

describe.each(peers)('our client against %s over %s', (_name, address, start) => {
  {
    const dir = useTempDir('netops-tftp-', 0o777);
    const daemon = useStarted(() => start(dir, address));

    it.each([
      ['0 B', 0, {}],
      ['512 B lock-step', 512, {}],
      ['100 KB blksize 1468', 100 * 1024, { blksize: 1468 }],
      ['3 x 1024 B blksize 1024', 3 * 1024, { blksize: 1024 }],
    ])('uploads %s byte-identical', async (label, size, extra) => {
      const data = randomBytes(size);
      const filename = `up-${label.replace(/\W+/g, '-')}.bin`;
      const result = await tftpPut({ server: address, port: daemon.port, filename, data, ...extra });
      expect(result.bytes).toBe(size);
      // The daemon closes the file after it has sent the final ACK: its size tells when it is there.
      const saved = join(dir, filename);
      await waitFor(
        async () => (await stat(saved).catch(() => undefined))?.size === size,
        `${saved} at ${size} bytes`,
      );
      expect(sameBytes(await readFile(saved), data)).toBe('identical');
    });

    it('downloads a 70 KB file byte-identical, plain and with blksize', async () => {
      const data = randomBytes(70 * 1024 + 3);
      await writeFile(join(dir, 'down.bin'), data);
      expect(
        sameBytes(await tftpGet({ server: address, port: daemon.port, filename: 'down.bin' }), data),
      ).toBe('identical');
      const withBlksize = await tftpGet({
        server: address,
        port: daemon.port,
        filename: 'down.bin',
        blksize: 1400,
      });
      expect(sameBytes(withBlksize, data)).toBe('identical');
    });

    it('reports the server ERROR for a missing file as remote-error with its code', async () => {
      const error = await tftpGet({ server: address, port: daemon.port, filename: 'no-such-file' }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(TftpClientError);
      expect(error.kind).toBe('remote-error');
      expect(error.code).toBe(1);
    });
  }
});

describe('source address binding', () => {
  it('fails with bind-failed and the OS error for an address not on this host', async () => {
    const error = await tftpPut({
      server: '127.0.0.1',
      port: 9,
      filename: 'x',
      data: Buffer.from('x'),
      localAddress: '198.18.0.77',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(TftpClientError);
    expect(error.kind).toBe('bind-failed');
    expect(error.code).toBe('EADDRNOTAVAIL');
  });

  it('times out with kind timeout when nothing answers', async () => {
    const error = await tftpPut({
      server: '127.0.0.1',
      port: 9,
      filename: 'x',
      data: Buffer.from('x'),
      timeoutMs: 20,
      retries: 2,
    }).catch((e) => e);
    expect(error.kind).toBe('timeout');
  });
});
