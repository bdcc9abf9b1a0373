/**
 * A file past block-number rollover at 512-byte blocks (> 65535 blocks, > 32 MB): tftp-hpa uploads
 * it to our server (we receive the wrap) and downloads it back (we send the wrap, 65535 -> 0).
 * One client only, to keep the suite fast.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { run, sameBytes } from './peers.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { startServer } from './server-fixture.js';

const fixture = useStarted(() => startServer());
const work = useTempDir('netops-rollover-', 0o777);

it(
  'moves 33,554,944 bytes (65,537 blocks of 512) both ways byte-identical with tftp-hpa',
  { timeout: 90_000 },
  async () => {
    const data = randomBytes(512 * 65537);
    const local = join(work, 'big.bin');
    await writeFile(local, data);
    const port = String(fixture.port('127.0.0.1'));
    const put = await run(
      'tftp',
      ['-4', '127.0.0.1', port, '-m', 'binary', '-c', 'put', local, 'big.bin'],
      undefined,
      80_000,
    );
    expect(put.stderr).toBe('');
    expect(sameBytes(await readFile(join(fixture.root, 'big.bin')), data)).toBe('identical');
    await run(
      'tftp',
      ['-4', '127.0.0.1', port, '-m', 'binary', '-c', 'get', 'big.bin', `${local}.back`],
      undefined,
      80_000,
    );
    expect(sameBytes(await readFile(`${local}.back`), data)).toBe('identical');
  },
);
