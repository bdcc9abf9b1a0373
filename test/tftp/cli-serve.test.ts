/**
 * `netops tftp serve` through its commander registration: classic log lines on stdout, JSON lines
 * in --json-log, refusals logged with the control bytes of names escaped (no forged lines), and a
 * clean stop on Ctrl-C (SIGINT) with the upload kept.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/commands/tftp-serve.js';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { encodeRequest } from '../../src/tftp/packet.js';
import { removeDir, tempDir } from './peers.js';
import { RawPeer } from './raw.js';
import { waitFor } from '../helpers/wait-for.js';

let root: string;
let output: string;
beforeEach(async () => {
  root = await tempDir();
  output = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(root);
});

async function until(predicate: () => boolean): Promise<void> {
  await waitFor(predicate, 'the expected output', 20_000).catch(() => undefined);
  expect(predicate(), output).toBe(true);
}

function program(): Command {
  const p = new Command('netops').exitOverride();
  register(p);
  return p;
}

describe('netops tftp serve', () => {
  it('logs classic lines and JSON, refuses traversal, and stops cleanly on SIGINT', async () => {
    const jsonLog = join(root, '..', `${root.split('/').pop()}.jsonl`);
    await writeFile(join(root, 'boot.cfg'), 'hostname r1\n');
    const running = program().parseAsync(
      [
        'tftp',
        'serve',
        '--root',
        root,
        '--listen',
        '127.0.0.1:0',
        '--json-log',
        jsonLog,
        '--max-file-bytes',
        '100000',
      ],
      { from: 'user' },
    );
    await until(() => /LISTENING {2}127\.0\.0\.1:\d+/.test(output));
    const port = Number(/LISTENING {2}127\.0\.0\.1:(\d+)/.exec(output)?.[1]);

    await tftpPut({
      server: '127.0.0.1',
      port,
      filename: 'r1-confg',
      data: Buffer.from('hostname r1\nend\n'),
    });
    expect((await tftpGet({ server: '127.0.0.1', port, filename: 'boot.cfg' })).toString()).toBe(
      'hostname r1\n',
    );
    const refused = await tftpPut({
      server: '127.0.0.1',
      port,
      filename: '../x',
      data: Buffer.from('x'),
    }).catch((e) => e);
    expect(refused).toMatchObject({ kind: 'remote-error', code: 2 });

    process.emit('SIGINT');
    await running;

    expect(output).toMatch(/127\.0\.0\.1 {2}\d+ {2}WRQ {2}OCTET {2}r1-confg {2}STARTED/);
    expect(output).toMatch(/127\.0\.0\.1 {2}\d+ {2}WRQ {2}OCTET {2}r1-confg {2}SUCCESS \[16 bytes\]/);
    expect(output).toMatch(/RRQ {2}OCTET {2}boot\.cfg {2}SUCCESS \[12 bytes\]/);
    expect(output).toMatch(/WRQ {2}OCTET {2}\.\.\/x {2}REFUSED: "\.\." in a path is refused/);
    expect(output).toMatch(/CLOSED {2}127\.0\.0\.1:\d+/);
    expect(await readFile(join(root, 'r1-confg'), 'utf8')).toBe('hostname r1\nend\n');

    const events = (await readFile(jsonLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.find((e) => e.event === 'success' && e.op === 'WRQ')).toMatchObject({
      file: 'r1-confg',
      bytes: 16,
      peer: '127.0.0.1',
    });
    await removeDir(jsonLog);
  });

  it('escapes control bytes of names in the log, even from a refused address: no forged line', async () => {
    const running = program().parseAsync(
      ['tftp', 'serve', '--root', root, '--listen', '127.0.0.1:0', '--allow', '198.18.0.0/15'],
      { from: 'user' },
    );
    await until(() => /LISTENING {2}127\.0\.0\.1:\d+/.test(output));
    const port = Number(/LISTENING {2}127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    const forged =
      'x\n2026-01-01T00:00:00.000Z  198.18.0.1  69  WRQ  OCTET  r1-confg  SUCCESS [9 bytes]\x1b[2J';
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('WRQ', forged, 'octet'), port);
      peer.send(encodeRequest('RRQ', `y\r\x1b]0;owned\x07`, 'octet'), port);
      expect((await peer.next())?.packet).toMatchObject({ op: 'ERROR', code: 2 });
      expect((await peer.next())?.packet).toMatchObject({ op: 'ERROR', code: 2 });
    } finally {
      peer.close();
    }
    await until(() => (output.match(/REFUSED/g) ?? []).length === 2);
    process.emit('SIGINT');
    await running;

    const lines = output.trimEnd().split('\n');
    expect(lines.filter((line) => line.includes('SUCCESS'))).toEqual([
      expect.stringContaining('WRQ  OCTET  x\\x0a2026-01-01T00:00:00.000Z'),
    ]);
    expect(output).toContain(
      'x\\x0a2026-01-01T00:00:00.000Z  198.18.0.1  69  WRQ  OCTET  r1-confg  SUCCESS [9 bytes]\\x1b[2J  REFUSED',
    );
    expect(output).toContain('y\\x0d\\x1b]0;owned\\x07  REFUSED');
    // eslint-disable-next-line no-control-regex
    expect(output).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(lines.every((line) => /^\d{4}-\d\d-\d\dT/.test(line))).toBe(true);
  });

  it('refuses a root that is not a folder', async () => {
    const error = await program()
      .parseAsync(['tftp', 'serve', '--root', join(root, 'missing')], { from: 'user' })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.message).toContain('missing');
  });

  it('explains a bad --listen before listening', async () => {
    const error = await program()
      .parseAsync(['tftp', 'serve', '--root', root, '--listen', 'tftp.example:69'], { from: 'user' })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.hint).toContain('[IPV6]:PORT');
  });
});
