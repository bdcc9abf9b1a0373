/**
 * A received file is assembled in one growing buffer, sized from the sender's tsize when it gives
 * one: the bytes stored are exactly the bytes sent, and a file that ends short of its announcement is
 * refused. And closing the server while transfers are under way ends each of them, the peer told
 * with an ERROR.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assembly } from '../../src/tftp/assembly.js';
import { encodeData, encodeRequest, type Packet } from '../../src/tftp/packet.js';
import { TftpServer } from '../../src/tftp/server.js';
import { sameBytes } from './peers.js';
import { RawPeer } from './raw.js';
import { startServer, type ServerFixture } from './server-fixture.js';

describe('Assembly', () => {
  const blocks = (data: Buffer, size: number) =>
    Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));

  it.each([
    ['a guess far too small', 1],
    ['the exact size', 10_000],
    ['an announcement four times too large', 40_000],
  ])('holds exactly the appended bytes when sized by %s', (_label, expected) => {
    const data = randomBytes(10_000);
    const file = new Assembly(expected);
    // As the receiver hands them over: each DATA datagram whole, its payload after the 4-byte header.
    blocks(data, 512).forEach((block, i) => file.append(encodeData(i + 1, block), 4));
    expect(file.length).toBe(10_000);
    expect(sameBytes(file.data(), data)).toBe('identical');
  });

  it('gives an empty file for no bytes', () => {
    const file = new Assembly(0);
    file.append(encodeData(1, Buffer.alloc(0)), 4);
    expect(file.data().length).toBe(0);
  });
});

describe('uploads with a wrong tsize', () => {
  let fixture: ServerFixture;
  beforeAll(async () => {
    fixture = await startServer({ timeoutMs: 1000, retries: 3 });
  });
  afterAll(() => fixture.stop());

  /** A lock-step upload by hand, announcing `tsize`, sending `data`: the answer to its last block. */
  async function upload(filename: string, tsize: number, data: Buffer): Promise<Packet | undefined> {
    const peer = await RawPeer.open();
    try {
      const options = new Map([['tsize', String(tsize)]]);
      peer.send(encodeRequest('WRQ', filename, 'octet', options), fixture.port('127.0.0.1'));
      const oack = await peer.next();
      expect(oack?.packet.op).toBe('OACK');
      const tid = oack?.port as number;
      const last = Math.floor(data.length / 512) + 1;
      for (let block = 1; block < last; block++) {
        peer.send(encodeData(block, data.subarray((block - 1) * 512, block * 512)), tid);
        expect((await peer.next())?.packet).toEqual({ op: 'ACK', block });
      }
      peer.send(encodeData(last, data.subarray((last - 1) * 512)), tid);
      return (await peer.next())?.packet;
    } finally {
      peer.close();
    }
  }

  it('stores the bytes sent when the client announces less than it sends', async () => {
    const data = randomBytes(5000);
    expect(await upload('under.bin', 100, data)).toEqual({ op: 'ACK', block: 10 });
    expect(sameBytes(await readFile(join(fixture.root, 'under.bin')), data)).toBe('identical');
  });

  it('refuses, and stores nothing of, a file that ends short of what the client announced', async () => {
    expect(await upload('over.bin', 60_000, randomBytes(700))).toEqual({
      op: 'ERROR',
      code: 0,
      message: 'the file ended after 700 of the 60000 bytes its sender announced (tsize)',
    });
    expect(await readdir(fixture.root)).toEqual(['under.bin']);
  });
});

it('ends every transfer under way when it closes, telling each peer with an ERROR', async () => {
  const server = await TftpServer.start({ listen: [{ address: '127.0.0.1', port: 0 }], timeoutMs: 60_000 });
  const port = server.addresses()[0]?.port ?? 0;
  const peers = await Promise.all(Array.from({ length: 20 }, () => RawPeer.open()));
  try {
    const waits = peers.map((peer, i) => {
      const wait = server.expectUpload({ filename: `r${i}-confg`, from: ['127.0.0.1'], timeoutMs: 60_000 });
      peer.send(encodeRequest('WRQ', `r${i}-confg`, 'octet'), port);
      return wait.catch((error: unknown) => error);
    });
    // Every transfer has started (ACK 0 received) and waits for DATA 1.
    const acks = await Promise.all(peers.map((peer) => peer.next()));
    expect(acks.map((reply) => reply?.packet)).toEqual(peers.map(() => ({ op: 'ACK', block: 0 })));
    await server.close();
    const answers = await Promise.all(peers.map((peer) => peer.next()));
    expect(answers.map((reply) => reply?.packet.op)).toEqual(peers.map(() => 'ERROR'));
    expect((await Promise.all(waits)).every((error) => error instanceof Error)).toBe(true);
  } finally {
    for (const peer of peers) peer.close();
  }
});
