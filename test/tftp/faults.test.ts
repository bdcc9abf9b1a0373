/**
 * Through a lossy path (10 % drop, 5 % duplicates, 7 % reordered, seeded) every transfer completes
 * byte-identical: lock-step and windowed, uploads and downloads, our client against our server; and
 * atftp's windowed upload survives the loss of its first block.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { run, sameBytes } from './peers.js';
import { startLossyProxy } from './lossy-proxy.js';
import { useStarted } from '../helpers/fixture.js';
import { startServer } from './server-fixture.js';

const faults = { drop: 0.1, duplicate: 0.05, delay: 0.07 };
// Short time-outs keep the lost packets cheap; many retries keep a starved process on a loaded
// machine from running out of them (a retry is spent per time-out, not per lost packet).
const timing = { timeoutMs: 40, retries: 100 };

const fixture = useStarted(() => startServer(timing));

describe.each([
  ['lock-step 512', {}, 1],
  ['blksize 1024 windowsize 8', { blksize: 1024, windowsize: 8 }, 2],
  ['blksize 1428 windowsize 16', { blksize: 1428, windowsize: 16 }, 3],
])('%s', (label, options, seed) => {
  it.each([0, 512 * 3, 48 * 1024 + 7])('uploads and downloads %i bytes byte-identical', async (size) => {
    const proxy = await startLossyProxy(fixture.port('127.0.0.1'), { ...faults, seed: seed * 1000 + size });
    try {
      const data = randomBytes(size);
      const filename = `lossy-${seed}-${size}.bin`;
      await tftpPut({ server: '127.0.0.1', port: proxy.port, filename, data, ...options, ...timing });
      expect(sameBytes(await readFile(join(fixture.root, filename)), data)).toBe('identical');
      await writeFile(join(fixture.root, `${filename}.src`), data);
      const back = await tftpGet({
        server: '127.0.0.1',
        port: proxy.port,
        filename: `${filename}.src`,
        ...options,
        ...timing,
      });
      expect(sameBytes(back, data)).toBe('identical');
      if (size > 0) expect(proxy.stats.dropped, `${label}: the path really lost packets`).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});

it('lets atftp, windowsize 4, upload whole when block 1 of its first window is lost', async () => {
  // A windowed atftp takes any OACK for the ACK of the window it just sent: the server must answer
  // the gap with ACK 0 (go again from block 1), not with its OACK again.
  let lost = false;
  const firstBlock = (d: Buffer, toServer: boolean) =>
    toServer && !lost && d.readUInt16BE(0) === 3 && d.readUInt16BE(2) === 1 && (lost = true);
  const proxy = await startLossyProxy(fixture.port('127.0.0.1'), {
    drop: 0,
    duplicate: 0,
    delay: 0,
    seed: 1,
    lose: firstBlock,
  });
  try {
    const data = randomBytes(10 * 1024 + 100);
    const local = join(fixture.root, 'atftp-first-lost.src');
    await writeFile(local, data);
    const options = ['--option', 'blksize 1024', '--option', 'windowsize 4'];
    const put = await run('atftp', [
      ...options,
      '-p',
      '-l',
      local,
      '-r',
      'atftp-first-lost.bin',
      '127.0.0.1',
      String(proxy.port),
    ]);
    expect(lost).toBe(true);
    expect(put.code, put.stderr).toBe(0);
    expect(sameBytes(await readFile(join(fixture.root, 'atftp-first-lost.bin')), data)).toBe('identical');
  } finally {
    await proxy.close();
  }
});
