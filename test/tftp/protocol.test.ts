/**
 * Protocol rules a careful server keeps, checked packet by packet: a repeated WRQ is a
 * retransmission (but a new request from a finished transfer's port is served), duplicate ACKs never trigger DATA (no Sorcerer's Apprentice), OACK values are
 * clamped as the RFCs say, and a windowed sender rolls back to the last ACK.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeAck, encodeData, encodeRequest } from '../../src/tftp/packet.js';
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

  it('accepts a sender that wraps block numbers to 1 instead of 0', async () => {
    // 65,536 blocks of 8 bytes in windows of 128: block 65,536 is sent as 1 (wrap to 1), then a short last block.
    const peer = await RawPeer.open();
    try {
      const asked = options({ blksize: '8', windowsize: '128' });
      peer.send(encodeRequest('WRQ', 'wrap-to-one.bin', 'octet', asked), patient.port('127.0.0.1'));
      const tid = (await peer.next())?.port as number;
      const total = 65536 + 1;
      let acked = 0;
      const wire = (n: number) => (n <= 65535 ? n : ((n - 65536) % 65535) + 1);
      while (acked < total) {
        const end = Math.min(acked + 128, total);
        for (let n = acked + 1; n <= end; n++)
          peer.send(encodeData(wire(n), Buffer.alloc(n === total ? 3 : 8, n & 0xff)), tid);
        // The ACK names a block of this window: its end, or the last block a server holds whose time-out
        // ran out mid-window on a loaded machine, from which a windowed sender goes on (RFC
        // 7440). An ACK older than the window is a late copy: the next one tells.
        let reached: number | undefined;
        while (reached === undefined) {
          const ack = await peer.next(30_000);
          expect(ack?.packet.op).toBe('ACK');
          const block = ack?.packet.op === 'ACK' ? ack.packet.block : -1;
          reached = [...Array(end - acked + 1).keys()].map((i) => end - i).find((n) => wire(n) === block);
        }
        acked = reached;
      }
      expect(acked).toBe(total);
      const saved = patient.events.find((e) => e.event === 'success' && e.file === 'wrap-to-one.bin');
      expect(saved?.bytes).toBe(65536 * 8 + 3);
    } finally {
      peer.close();
    }
  });
});
