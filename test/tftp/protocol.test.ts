/**
 * Protocol rules a careful server keeps, checked packet by packet: a repeated WRQ is a
 * retransmission (but a new request from a finished transfer's port is served), duplicate ACKs never trigger DATA (no Sorcerer's Apprentice), OACK values are
 * clamped as the RFCs say, a windowed sender rolls back to the last ACK, and block numbers wrap.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeAck, encodeData, encodeRequest } from '../../src/tftp/packet.js';
import { sameBytes } from './peers.js';
import { RawPeer } from './raw.js';
import { useStarted } from '../helpers/fixture.js';
import { startServer } from './server-fixture.js';

const fixture = useStarted(() => startServer({ timeoutMs: 400, retries: 2, maxWindowsize: 128 }));
// The wrap test sends 65,537 blocks: on a loaded machine it gets a server whose time-outs outlast a stall.
const patient = useStarted(() => startServer({ timeoutMs: 5000, retries: 5, maxWindowsize: 128 }));
let port: number;
const fiveBlocks = Buffer.alloc(512 * 4 + 100, 7);
beforeAll(async () => {
  port = fixture.port('127.0.0.1');
  await writeFile(join(fixture.root, 'five.bin'), fiveBlocks);
});

const options = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

describe('TFTP protocol', () => {
  it('treats a repeated WRQ from the same address and port as a retransmission', async () => {
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('WRQ', 'repeat.bin', 'octet'), port);
      peer.send(encodeRequest('WRQ', 'repeat.bin', 'octet'), port);
      const replies = await peer.burst(100);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.packet).toEqual({ op: 'ACK', block: 0 });
      peer.send(encodeData(1, Buffer.from('once')), replies[0]?.port as number);
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      expect(fixture.events.filter((e) => e.event === 'started' && e.file === 'repeat.bin')).toHaveLength(1);
    } finally {
      peer.close();
    }
  });

  it('serves a new request from the address and port of a finished transfer while that one lingers', async () => {
    // The patient server lingers 15 s after a final ACK: a request it ignored would get no answer here.
    const server = patient.port('127.0.0.1');
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('WRQ', 'reused-1.bin', 'octet'), server);
      const first = await peer.next();
      expect(first?.packet).toEqual({ op: 'ACK', block: 0 });
      peer.send(encodeData(1, Buffer.from('one')), first?.port as number);
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      // The client is done; its port is taken again by a client with another file (devices behind one
      // NAT address). A late copy of the finished request stays a retransmission: no answer to it.
      peer.send(encodeRequest('WRQ', 'reused-1.bin', 'octet'), server);
      peer.send(encodeRequest('WRQ', 'reused-2.bin', 'octet'), server);
      const second = await peer.next();
      expect(second?.packet).toEqual({ op: 'ACK', block: 0 });
      expect(second?.port).not.toBe(first?.port);
      peer.send(encodeData(1, Buffer.from('two')), second?.port as number);
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      expect(await readFile(join(patient.root, 'reused-2.bin'), 'utf8')).toBe('two');
      const started = patient.events.filter((e) => e.event === 'started' && e.file?.startsWith('reused-'));
      expect(started.map((e) => e.file)).toEqual(['reused-1.bin', 'reused-2.bin']);
    } finally {
      peer.close();
    }
  });

  it('ends on close a lingering transfer whose client port started another', async () => {
    const own = await startServer({ timeoutMs: 5000, retries: 5 });
    const peer = await RawPeer.open();
    try {
      const server = own.port('127.0.0.1');
      peer.send(encodeRequest('WRQ', 'closed-1.bin', 'octet'), server);
      const first = await peer.next();
      peer.send(encodeData(1, Buffer.from('one')), first?.port as number);
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      peer.send(encodeRequest('WRQ', 'closed-2.bin', 'octet'), server);
      const second = await peer.next();
      expect(second?.packet).toEqual({ op: 'ACK', block: 0 });
      await own.server.close();
      // A lingering transfer re-ACKs a retransmitted last block: once closed, nothing answers it
      // (the second transfer, cut mid-way, says so once).
      peer.send(encodeData(1, Buffer.from('one')), first?.port as number);
      expect(await peer.drain(300)).toEqual([
        { packet: { op: 'ERROR', code: 0, message: 'Transfer cancelled' }, port: second?.port },
      ]);
    } finally {
      peer.close();
      await own.stop();
    }
  });

  it('sends each DATA block once when every ACK arrives twice (no Sorcerer’s Apprentice)', async () => {
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('RRQ', 'five.bin', 'octet'), port);
      const sent = new Map<number, number>();
      for (let reply = await peer.next(); reply?.packet.op === 'DATA'; reply = await peer.next(100)) {
        const { block, data } = reply.packet;
        sent.set(block, (sent.get(block) ?? 0) + 1);
        peer.send(encodeAck(block), reply.port);
        peer.send(encodeAck(block), reply.port);
        if (data.length < 512) break;
      }
      expect([...sent.entries()]).toEqual([
        [1, 1],
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 1],
      ]);
      expect(await peer.drain(100)).toEqual([]);
    } finally {
      peer.close();
    }
  });

  it('answers options with an OACK clamped to its limits, tsize filled in, unknown options left out', async () => {
    const peer = await RawPeer.open();
    try {
      const asked = options({
        blksize: '100000',
        windowsize: '1000',
        tsize: '0',
        timeout: '3',
        multicast: '',
      });
      peer.send(encodeRequest('RRQ', 'five.bin', 'octet', asked), port);
      const reply = await peer.next();
      expect(reply?.packet).toEqual({
        op: 'OACK',
        options: options({
          blksize: '65464',
          windowsize: '128',
          tsize: String(fiveBlocks.length),
          timeout: '3',
        }),
      });
      // A client that dislikes the OACK answers ERROR 8; the server ends quietly.
      peer.send(Buffer.from('\x00\x05\x00\x08no thanks\x00', 'latin1'), reply?.port as number);
      expect(await peer.drain(100)).toEqual([]);
    } finally {
      peer.close();
    }
  });

  it('rolls a window back to the last ACK (RFC 7440) and finishes', async () => {
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('RRQ', 'five.bin', 'octet', options({ windowsize: '4' })), port);
      const oack = await peer.next();
      const tid = oack?.port as number;
      peer.send(encodeAck(0), tid);
      const window = (await peer.burst(50)).map((r) => (r.packet.op === 'DATA' ? r.packet.block : -1));
      expect(window).toEqual([1, 2, 3, 4]);
      peer.send(encodeAck(2), tid); // blocks 3 and 4 "lost": the sender goes on from 3
      const rest = (await peer.burst(50)).map((r) => (r.packet.op === 'DATA' ? r.packet.block : -1));
      expect(rest).toEqual([3, 4, 5]);
      peer.send(encodeAck(5), tid);
      expect(await peer.drain(100)).toEqual([]);
      const done = fixture.events.filter(
        (e) => e.event === 'success' && e.op === 'RRQ' && e.peer === '127.0.0.1',
      );
      expect(done.length).toBeGreaterThan(0);
    } finally {
      peer.close();
    }
  });

  it('answers a window whose block 1 was lost after an OACK with ACK 0, not the OACK again', async () => {
    const peer = await RawPeer.open();
    try {
      peer.send(encodeRequest('WRQ', 'lost-first.bin', 'octet', options({ windowsize: '4' })), port);
      const oack = await peer.next();
      expect(oack?.packet.op).toBe('OACK');
      const tid = oack?.port as number;
      for (const block of [2, 3, 4]) peer.send(encodeData(block, Buffer.alloc(512, block)), tid);
      // The sender got the OACK (it sends DATA): ACK 0 tells it to go again from block 1.
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 0 });
      for (const block of [1, 2, 3, 4]) peer.send(encodeData(block, Buffer.alloc(512, block)), tid);
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 4 });
      peer.send(encodeData(5, Buffer.from('end')), tid);
      expect((await peer.next())?.packet).toEqual({ op: 'ACK', block: 5 });
      const sent = Buffer.concat([1, 2, 3, 4].map((b) => Buffer.alloc(512, b)).concat(Buffer.from('end')));
      expect(sameBytes(await readFile(join(fixture.root, 'lost-first.bin')), sent)).toBe('identical');
    } finally {
      peer.close();
    }
  });

  // 8-byte blocks reach the wrap in half a MB. Each case picks its windowsize so that a window starts
  // or ends where it needs one: windows start after multiples of the windowsize (65535 = 85 * 771).
  it('accepts a sender that wraps block numbers to 1 instead of 0', async () => {
    const sent = await windowedUpload('wrap-to-one.bin', { total: 65537, windowsize: 128, wire: wrapToOne });
    expect(sent).toBe('identical');
  });

  it('accepts a sender that wraps to 1 in the middle of a window', async () => {
    // Window 65501-65600 sends wires 65501-65535, then 1-65. Block 1 alone cannot tell a sender wrapping
    // to 1 from one wrapping to 0 that lost block 0: the server re-ACKs 65535 and the window from
    // there (wires 1-100) shows it, as a sender wrapping to 0 cannot send wire 100 yet.
    const sent = await windowedUpload('wrap-to-one-mid.bin', {
      total: 65700,
      windowsize: 100,
      wire: wrapToOne,
    });
    expect(sent).toBe('identical');
  });

  it('does not store block 1 in place of a lost block 0 of a sender wrapping to 0', async () => {
    // Window 65536-65620 (wires 0-84) loses block 0 once: the rest of the window must not be taken
    // for a wrap to 1 (the file would lack those 8 bytes and still be ACKed whole).
    const sent = await windowedUpload('wrap-lost-zero.bin', {
      total: 65630,
      windowsize: 85,
      wire: wrapToZero,
      lose: (n, sends) => n === 65536 && sends === 0,
    });
    expect(sent).toBe('identical');
  });

  it('re-ACKs block 65535, not 0, for a stray after the second wrap of a sender wrapping to 1', async () => {
    // Block 131,070 (wire 65535) ends a window (85 * 1542); the next window loses its first block
    // (wire 1), so the server sees wire 2 while expecting 1 and must ACK 65535, the block it holds.
    const sent = await windowedUpload('wrap-twice.bin', {
      total: 131080,
      windowsize: 85,
      wire: wrapToOne,
      lose: (n, sends) => n === 131071 && sends === 0,
    });
    expect(sent).toBe('identical');
  });
});

const wrapToZero = (n: number) => n & 0xffff;
const wrapToOne = (n: number) => (n <= 65535 ? n : ((n - 65536) % 65535) + 1);

/**
 * Uploads `total` blocks of 8 bytes (the last one of 3) to the patient server as an RFC 7440 sender
 * does: after an ACK of a block of the window, a window from the block after it; a duplicate ACK is
 * ignored, and the window goes again when no new ACK came for a while (the sender's own time-out,
 * short here: it only saves waiting for the server's). `lose(n, sends)` leaves block n out, given
 * how many times it was sent before. Every ACK must name a block of the window or a recent one.
 */
async function windowedUpload(
  filename: string,
  sender: {
    total: number;
    windowsize: number;
    wire: (n: number) => number;
    lose?: (n: number, sends: number) => boolean;
  },
): Promise<string> {
  const { total, windowsize, wire, lose } = sender;
  // Each block says which it is, so a block stored in another's place shows in the file.
  const payload = (n: number) => {
    const block = Buffer.alloc(8);
    block.writeUIntBE(n, 2, 6);
    return n === total ? block.subarray(5) : block;
  };
  const sends = new Map<number, number>();
  const peer = await RawPeer.open();
  try {
    const asked = options({ blksize: '8', windowsize: String(windowsize) });
    peer.send(encodeRequest('WRQ', filename, 'octet', asked), patient.port('127.0.0.1'));
    const oack = await peer.next();
    expect(oack?.packet.op).toBe('OACK');
    const tid = oack?.port as number;
    let acked = 0;
    while (acked < total) {
      const end = Math.min(acked + windowsize, total);
      for (let n = acked + 1; n <= end; n++) {
        const before = sends.get(n) ?? 0;
        sends.set(n, before + 1);
        if (!lose?.(n, before)) peer.send(encodeData(wire(n), payload(n)), tid);
      }
      for (let reached: number | undefined; reached === undefined;) {
        const ack = await peer.next(200);
        if (!ack) break; // the window again
        expect(ack.packet.op).toBe('ACK');
        const block = ack.packet.op === 'ACK' ? ack.packet.block : -1;
        // The newest block of the window with that number, else a recent one (a late or duplicate ACK).
        const newest = (from: number, to: number) =>
          [...Array(Math.max(0, to - from + 1)).keys()].map((i) => to - i).find((n) => wire(n) === block);
        reached = newest(acked + 1, end);
        const late = newest(Math.max(0, acked - 4 * windowsize), acked);
        expect(
          reached ?? late,
          `ACK ${block} names no block sent lately (window ${acked + 1}-${end})`,
        ).toBeDefined();
        if (reached !== undefined) acked = reached;
      }
    }
    const sent = Buffer.concat(Array.from({ length: total }, (_, i) => payload(i + 1)));
    return sameBytes(await readFile(join(patient.root, filename)), sent);
  } finally {
    peer.close();
  }
}
