/**
 * Netascii (CR LF for a newline, CR NUL for a bare CR) translated both ways and streaming-correct:
 * tftp-hpa in ascii mode against our server, our client against tftpd-hpa, and our client against
 * our server with 8-byte blocks so that every CR lands on a block boundary somewhere.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { createNetasciiDecoder, decodeNetascii, encodeNetascii } from '../../src/tftp/netascii.js';
import { run, sameBytes, startTftpdHpa } from './peers.js';
import { startServer } from './server-fixture.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';

// Every mix the rules distinguish: LF, CR LF, bare CR, CR at the end, NUL alone, CR NUL in the file, CR CR LF.
const text = Buffer.from('line1\nline2\r\nbare\rcr\0nul\r\0crnul\r\r\nend\r', 'latin1');

describe('netascii codec', () => {
  it('encodes LF as CR LF and CR as CR NUL, and decodes back to the same bytes', () => {
    expect(encodeNetascii(Buffer.from('a\nb\rc', 'latin1')).toString('latin1')).toBe('a\r\nb\r\0c');
    expect(decodeNetascii(encodeNetascii(text))).toEqual(text);
  });

  it('decodes the same whatever the chunking (a CR ending one block pairs with the next)', () => {
    const wire = encodeNetascii(text);
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = createNetasciiDecoder();
      const parts = [decoder.push(wire.subarray(0, cut)), decoder.push(wire.subarray(cut)), decoder.end()];
      expect(Buffer.concat(parts)).toEqual(text);
    }
  });
});

describe('netascii transfers', () => {
  const fixture = useStarted(() => startServer());
  const daemonRoot = useTempDir('netops-tftp-', 0o777);
  const daemon = useStarted(() => startTftpdHpa(daemonRoot, '127.0.0.1'));
  const work = useTempDir('netops-netascii-', 0o777);

  it.each(['127.0.0.1', '::1'] as const)(
    'tftp-hpa ascii put and get against our server over %s',
    async (address) => {
      const local = join(work, `ascii-${address === '::1' ? 6 : 4}.txt`);
      await writeFile(local, text);
      const flag = address === '::1' ? '-6' : '-4';
      const port = String(fixture.port(address));
      await run('tftp', [flag, address, port, '-m', 'ascii', '-c', 'put', local, `${flag}.txt`]);
      expect(sameBytes(await readFile(join(fixture.root, `${flag}.txt`)), text)).toBe('identical');
      await run('tftp', [flag, address, port, '-m', 'ascii', '-c', 'get', `${flag}.txt`, `${local}.back`]);
      expect(sameBytes(await readFile(`${local}.back`), text)).toBe('identical');
    },
  );

  it('our client in netascii against tftpd-hpa stores and returns the same text', async () => {
    await tftpPut({
      server: '127.0.0.1',
      port: daemon.port,
      filename: 'c.txt',
      data: text,
      mode: 'netascii',
    });
    expect(sameBytes(await readFile(join(daemonRoot, 'c.txt')), text)).toBe('identical');
    const back = await tftpGet({
      server: '127.0.0.1',
      port: daemon.port,
      filename: 'c.txt',
      mode: 'netascii',
    });
    expect(sameBytes(back, text)).toBe('identical');
  });

  it('our client and server agree with 8-byte blocks (CRs split across blocks)', async () => {
    const long = Buffer.concat(Array.from({ length: 40 }, () => text));
    const port = fixture.port('127.0.0.1');
    await tftpPut({
      server: '127.0.0.1',
      port,
      filename: 'small-blocks.txt',
      data: long,
      mode: 'netascii',
      blksize: 8,
    });
    expect(sameBytes(await readFile(join(fixture.root, 'small-blocks.txt')), long)).toBe('identical');
    const back = await tftpGet({
      server: '127.0.0.1',
      port,
      filename: 'small-blocks.txt',
      mode: 'netascii',
      blksize: 9,
    });
    expect(sameBytes(back, long)).toBe('identical');
  });
});
