/**
 * Malformed and out-of-place packets, at the listening port and inside a transfer: each is answered
 * with a TFTP ERROR or ignored, the server keeps serving, and nothing is written to its root.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { encodeAck, encodeData, encodeError, encodeOack } from '../../src/tftp/packet.js';
import { prng } from './lossy-proxy.js';
import { RawPeer } from './raw.js';
import { startServer, type ServerFixture } from './server-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const request = (op: 1 | 2, ...strings: string[]) => bytes([0, op], strings.map((s) => `${s}\0`).join(''));

function malformed(): Array<[string, Buffer]> {
  const cases: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['1 byte', bytes([0])],
    ['2 bytes', bytes([0, 1])],
    ['3 bytes', bytes([0, 2, 0])],
    ...[0, 7, 8, 99, 255, 65535].map((op): [string, Buffer] => [
      `opcode ${op}`,
      bytes([op >> 8, op & 0xff], 'x\0octet\0'),
    ]),
    ['RRQ without any NUL', bytes([0, 1], 'served.txt')],
    ['WRQ without final NUL', bytes([0, 2], 'fuzz-a\0octet')],
    ['RRQ without mode', bytes([0, 1], 'served.txt\0')],
    ['WRQ empty file name', request(2, '', 'octet')],
    ['RRQ empty file name', request(1, '', 'octet')],
    ['WRQ 300-byte file name', request(2, 'f'.repeat(300), 'octet')],
    ['RRQ 300-byte file name', request(1, 'f'.repeat(300), 'octet')],
    ['WRQ over 512 bytes', request(2, 'fuzz-b', 'octet', 'x-pad', 'p'.repeat(500))],
    ['WRQ mode binary', request(2, 'fuzz-c', 'binary')],
    ['WRQ mode mail', request(2, 'fuzz-c', 'mail')],
    ['RRQ empty mode', request(1, 'served.txt', '')],
    ['WRQ option without value', bytes([0, 2], 'fuzz-d\0octet\0blksize\0')],
    ['WRQ empty option name', request(2, 'fuzz-d', 'octet', '', '512')],
    ['WRQ duplicate option', request(2, 'fuzz-d', 'octet', 'blksize', '512', 'BLKSIZE', '1024')],
    ['WRQ ../ path', request(2, '../fuzz-escape', 'octet')],
    ['WRQ absolute path', request(2, '/tmp/fuzz-abs', 'octet')],
    ['RRQ absolute path', request(1, '/etc/passwd', 'octet')],
    ['RRQ .. path', request(1, 'sub/../../etc/passwd', 'octet')],
    ['WRQ NUL-free control byte', request(2, 'a\x01b', 'octet')],
    ['WRQ existing file', request(2, 'served.txt', 'octet')],
    ['DATA before WRQ', encodeData(1, Buffer.from('hello'))],
    ['DATA block 0 before WRQ', encodeData(0, Buffer.alloc(512))],
    ['ACK for an unknown TID', encodeAck(0)],
    ['ACK 7 for an unknown TID', encodeAck(7)],
    ['OACK to the server', encodeOack(new Map([['blksize', '512']]))],
    ['ACK of 5 bytes', bytes([0, 4, 0, 1, 9])],
    ['ERROR to the server', encodeError(0, 'hello')],
    ['ERROR without NUL', bytes([0, 5, 0, 1], 'oops')],
  ];
  for (const [name, value] of [
    ['blksize', 'abc'],
    ['blksize', '7'],
    ['blksize', '0'],
    ['blksize', '-1'],
    ['blksize', '99999999999'],
    ['windowsize', '0'],
    ['windowsize', '70000'],
    ['timeout', '0'],
    ['timeout', '256'],
    ['tsize', 'x'],
    ['tsize', '-5'],
  ] as const) {
    cases.push([`WRQ ${name}=${value}`, request(2, 'fuzz-e', 'octet', name, value)]);
    cases.push([`RRQ ${name}=${value}`, request(1, 'served.txt', 'octet', name, value)]);
  }
  const random = prng(20261123);
  for (let i = 0; i < 12; i++) {
    const length = 1 + Math.floor(random() * 700);
    cases.push([
      `random ${length} bytes #${i}`,
      Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))),
    ]);
  }
  return cases;
}

let fixture: ServerFixture;
beforeAll(async () => {
  fixture = await startServer({ timeoutMs: 100, retries: 2 });
  await writeFile(join(fixture.root, 'served.txt'), 'served\n');
});
afterAll(() => fixture.stop());

const rootFiles = async () => (await readdir(fixture.root)).sort();

describe('malformed packets at the listening port', () => {
  const cases = malformed();
  it(`has at least 50 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(50));

  it.each(cases)('%s: answered with ERROR or ignored, nothing started', async (_name, packet) => {
    const peer = await RawPeer.open();
    try {
      peer.send(packet, fixture.port('127.0.0.1'));
      const replies = await peer.drain(60);
      for (const reply of replies) expect(reply.packet.op).toBe('ERROR');
    } finally {
      peer.close();
    }
  });

  it('left the root as it was and still serves', async () => {
    expect(await rootFiles()).toEqual(['served.txt']);
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
