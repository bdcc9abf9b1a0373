/**
 * Malformed and out-of-place packets, at the listening port and inside a transfer: each is answered
 * with a TFTP ERROR or ignored, the server keeps serving, and nothing is written to its root.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { formatLogLine } from '../../src/tftp/log.js';
import { encodeAck, encodeData, encodeError, encodeOack } from '../../src/tftp/packet.js';
import { prng } from './lossy-proxy.js';
import { RawPeer, type Reply } from './raw.js';
import { useStarted } from '../helpers/fixture.js';
import { startServer } from './server-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const request = (op: 1 | 2, ...strings: string[]) => bytes([0, op], strings.map((s) => `${s}\0`).join(''));

/** What the server must do: answer with this TFTP error code, or stay silent. */
type Expected = number | 'ignored' | 'error or ignored';
const E = { notDefined: 0, access: 2, diskFull: 3, illegal: 4, unknownTid: 5, exists: 6, option: 8 };

function malformed(): Array<[string, Buffer, Expected]> {
  const cases: Array<[string, Buffer, Expected]> = [
    ['empty', Buffer.alloc(0), E.illegal],
    ['1 byte', bytes([0]), E.illegal],
    ['2 bytes', bytes([0, 1]), E.illegal],
    ['3 bytes', bytes([0, 2, 0]), E.illegal],
    ...[0, 7, 8, 99, 255, 65535].map((op): [string, Buffer, Expected] => [
      `opcode ${op}`,
      bytes([op >> 8, op & 0xff], 'x\0octet\0'),
      E.illegal,
    ]),
    ['RRQ without any NUL', bytes([0, 1], 'served.txt'), E.illegal],
    ['WRQ without final NUL', bytes([0, 2], 'fuzz-a\0octet'), E.illegal],
    ['RRQ without mode', bytes([0, 1], 'served.txt\0'), E.illegal],
    ['WRQ empty file name', request(2, '', 'octet'), E.illegal],
    ['RRQ empty file name', request(1, '', 'octet'), E.illegal],
    ['WRQ 300-byte file name', request(2, 'f'.repeat(300), 'octet'), E.illegal],
    ['RRQ 300-byte file name', request(1, 'f'.repeat(300), 'octet'), E.illegal],
    ['WRQ over 512 bytes', request(2, 'fuzz-b', 'octet', 'x-pad', 'p'.repeat(500)), E.illegal],
    ['WRQ mode binary', request(2, 'fuzz-c', 'binary'), E.illegal],
    ['WRQ mode mail', request(2, 'fuzz-c', 'mail'), E.illegal],
    ['RRQ empty mode', request(1, 'served.txt', ''), E.illegal],
    ['WRQ option without value', bytes([0, 2], 'fuzz-d\0octet\0blksize\0'), E.illegal],
    ['WRQ empty option name', request(2, 'fuzz-d', 'octet', '', '512'), E.illegal],
    ['WRQ duplicate option', request(2, 'fuzz-d', 'octet', 'blksize', '512', 'BLKSIZE', '1024'), E.illegal],
    ['WRQ ../ path', request(2, '../fuzz-escape', 'octet'), E.access],
    ['WRQ absolute path', request(2, '/tmp/fuzz-abs', 'octet'), E.access],
    ['RRQ absolute path', request(1, '/etc/passwd', 'octet'), E.access],
    ['RRQ .. path', request(1, 'sub/../../etc/passwd', 'octet'), E.access],
    ['WRQ NUL-free control byte', request(2, 'a\x01b', 'octet'), E.access],
    ['WRQ newline in the name', request(2, 'a\nFORGED SUCCESS', 'octet'), E.access],
    ['WRQ ESC in the name', request(2, 'a\x1b[2Jb', 'octet'), E.access],
    ['RRQ DEL in the name', request(1, 'served\x7f.txt', 'octet'), E.access],
    ['WRQ empty path segment', request(2, 'sub//fuzz', 'octet'), E.access],
    ['WRQ Windows drive path', request(2, 'C:\\fuzz', 'octet'), E.access],
    ['WRQ existing file', request(2, 'served.txt', 'octet'), E.exists],
    ['DATA before WRQ', encodeData(1, Buffer.from('hello')), E.unknownTid],
    ['DATA block 0 before WRQ', encodeData(0, Buffer.alloc(512)), E.unknownTid],
    ['ACK for an unknown TID', encodeAck(0), E.unknownTid],
    ['ACK 7 for an unknown TID', encodeAck(7), E.unknownTid],
    ['OACK to the server', encodeOack(new Map([['blksize', '512']])), E.unknownTid],
    ['ACK of 5 bytes', bytes([0, 4, 0, 1, 9]), E.illegal],
    ['ERROR to the server', encodeError(0, 'hello'), 'ignored'],
    ['ERROR without NUL', bytes([0, 5, 0, 1], 'oops'), 'ignored'],
    ['ERROR of 2 bytes', bytes([0, 5]), 'ignored'],
    [
      'WRQ tsize of a terabyte (RFC 2349: ERROR 3)',
      request(2, 'fuzz-t', 'octet', 'tsize', '1000000000000'),
      E.diskFull,
    ],
    ['WRQ tsize of 30 digits', request(2, 'fuzz-t', 'octet', 'tsize', '9'.repeat(30)), E.diskFull],
  ];
  for (const [name, value] of [
    ['blksize', 'abc'],
    ['blksize', '7'],
    ['blksize', '0'],
    ['blksize', '-1'],
    ['blksize', '1e3'],
    ['blksize', ''],
    ['windowsize', '0'],
    ['windowsize', '70000'],
    ['timeout', '0'],
    ['timeout', '256'],
    ['timeout', '99999999999'],
    ['tsize', 'x'],
    ['tsize', '-5'],
    ['tsize', '0x10'],
  ] as const) {
    cases.push([`WRQ ${name}=${value}`, request(2, 'fuzz-e', 'octet', name, value), E.option]);
    cases.push([`RRQ ${name}=${value}`, request(1, 'served.txt', 'octet', name, value), E.option]);
  }
  const random = prng(20261123);
  for (let i = 0; i < 12; i++) {
    const length = 1 + Math.floor(random() * 700);
    cases.push([
      `random ${length} bytes #${i}`,
      Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))),
      'error or ignored',
    ]);
  }
  return cases;
}

const fixture = useStarted(() => startServer({ timeoutMs: 100, retries: 2 }));
beforeAll(async () => {
  await writeFile(join(fixture.root, 'served.txt'), 'served\n');
});

const rootFiles = async () => (await readdir(fixture.root)).sort();

/** A packet the server answers at once with ERROR 4 naming it: what it ignored on receipt got no answer before it. */
const probe = bytes([0x7e, 0x57], 'probe\0');

describe('malformed packets at the listening port', () => {
  const cases = malformed();
  it(`has at least 50 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(50));

  it.each(cases)(
    '%s: answered with the right ERROR or ignored, nothing started',
    async (_name, packet, expected) => {
      const peer = await RawPeer.open();
      try {
        const port = fixture.port('127.0.0.1');
        peer.send(packet, port);
        peer.send(probe, port);
        const replies: Reply[] = [];
        // Silence is proven by the probe's answer: a refusal made on receipt comes before it. Refusals
        // that look at the file system come later, so an expected error is also waited for.
        let probed = false;
        while (!probed || (typeof expected === 'number' && replies.length === 0)) {
          const reply = await peer.next();
          if (!reply) break;
          if (reply.packet.op === 'ERROR' && reply.packet.message === 'unknown opcode 32343') probed = true;
          else replies.push(reply);
        }
        for (const reply of replies) expect(reply.packet.op).toBe('ERROR');
        if (typeof expected === 'number') {
          expect(replies.map((r) => r.packet)).toEqual([
            expect.objectContaining({ op: 'ERROR', code: expected }),
          ]);
        } else if (expected === 'ignored') expect(replies).toEqual([]);
        else expect(replies.length).toBeLessThanOrEqual(1);
      } finally {
        peer.close();
      }
    },
  );

  it('left the root as it was, logged every name on one line, and still serves', async () => {
    expect(await rootFiles()).toEqual(['served.txt']);
    const lines = fixture.events.map(formatLogLine);
    // eslint-disable-next-line no-control-regex
    for (const line of lines) expect(line).not.toMatch(/[\n\r\x1b\x7f]/);
    expect(lines.some((line) => line.includes('a\\x0aFORGED SUCCESS'))).toBe(true);
    const port = fixture.port('127.0.0.1');
    expect((await tftpGet({ server: '127.0.0.1', port, filename: 'served.txt' })).toString()).toBe(
      'served\n',
    );
  });
});

describe('bad packets inside a transfer', () => {
  it('survives wrong blocks, an intruder TID, garbage and oversize DATA; the upload writes nothing', async () => {
    const port = fixture.port('127.0.0.1');
    const client = await RawPeer.open();
    const intruder = await RawPeer.open();
    try {
      client.send(request(2, 'fuzz-mid.bin', 'octet'), port);
      const ack0 = await client.next();
      expect(ack0?.packet).toEqual({ op: 'ACK', block: 0 });
      const tid = ack0?.port as number;

      intruder.send(encodeAck(0), tid);
      expect((await intruder.next())?.packet).toMatchObject({ op: 'ERROR', code: 5 });

      client.send(encodeData(1, Buffer.alloc(512, 1)), tid);
      expect((await client.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      client.send(encodeData(9, Buffer.alloc(512, 9)), tid); // a block from the future: re-ACK the last good one
      expect((await client.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      client.send(bytes([0, 3]), tid); // too short to be anything: ignored
      client.send(encodeData(2, Buffer.alloc(600)), tid); // bigger than blksize: the transfer ends with ERROR 4
      const last = await client.burst(80);
      expect(last.map((r) => r.packet)).toContainEqual(expect.objectContaining({ op: 'ERROR', code: 4 }));
      expect(await rootFiles()).toEqual(['served.txt']);
    } finally {
      client.close();
      intruder.close();
    }
  });

  it('answers a stray ERROR from another TID with nothing (two strangers would bounce errors forever)', async () => {
    const port = fixture.port('127.0.0.1');
    const client = await RawPeer.open();
    const stranger = await RawPeer.open();
    try {
      client.send(request(2, 'fuzz-stranger.bin', 'octet'), port);
      const tid = (await client.next())?.port as number;
      stranger.send(encodeError(5, 'Unknown transfer ID'), tid);
      // The transfer socket takes datagrams in order: by the client's ACK, an answer to the stranger
      // has been sent, and on loopback it is already in the stranger's socket.
      client.send(encodeData(1, Buffer.alloc(512)), tid);
      expect((await client.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      expect(await stranger.drain(100)).toEqual([]);
      client.send(encodeError(0, 'done'), tid);
      await waitFor(
        () => fixture.events.some((e) => e.event === 'failed' && e.file === 'fuzz-stranger.bin'),
        'the upload to end, its temporary file removed',
      );
    } finally {
      client.close();
      stranger.close();
    }
  });

  it('ends an upload on a client ERROR mid-transfer without answering it and writes nothing', async () => {
    const port = fixture.port('127.0.0.1');
    const client = await RawPeer.open();
    try {
      client.send(request(2, 'fuzz-abort.bin', 'octet'), port);
      const tid = (await client.next())?.port as number;
      client.send(encodeData(1, Buffer.alloc(512, 1)), tid);
      await client.next();
      client.send(encodeError(0, 'user cancelled'), tid);
      expect(await client.drain(150)).toEqual([]);
      expect(await rootFiles()).toEqual(['served.txt']);
      const failed = fixture.events.find((e) => e.event === 'failed' && e.file === 'fuzz-abort.bin');
      expect(failed?.reason).toContain('user cancelled');
    } finally {
      client.close();
    }
  });

  it('leaves nothing after a transfer abandoned mid-way (time-outs exhausted)', async () => {
    const port = fixture.port('127.0.0.1');
    const client = await RawPeer.open();
    try {
      client.send(request(2, 'fuzz-abandoned.bin', 'octet'), port);
      const tid = (await client.next())?.port as number;
      client.send(encodeData(1, Buffer.alloc(512, 1)), tid);
      // The server re-ACKs with backoff (100, 200, 400 ms), then gives up.
      await waitFor(
        () => fixture.events.some((e) => e.event === 'failed' && e.file === 'fuzz-abandoned.bin'),
        'the transfer to be given up',
      );
      expect(await rootFiles()).toEqual(['served.txt']);
    } finally {
      client.close();
    }
  });

  it('still serves uploads afterwards', async () => {
    const port = fixture.port('127.0.0.1');
    await tftpPut({ server: '127.0.0.1', port, filename: 'after-fuzz.bin', data: Buffer.from('ok') });
    expect(await rootFiles()).toEqual(['after-fuzz.bin', 'served.txt']);
  });
});
