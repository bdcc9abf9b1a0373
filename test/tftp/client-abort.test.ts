/**
 * The client stops when its AbortSignal fires (a step time-out or Ctrl-C in the lab): it tells the
 * server with ERROR 0 and fails with kind `aborted`. The "server" is a raw socket that goes silent.
 */
import { expect, it } from 'vitest';
import { tftpGet, tftpPut } from '../../src/tftp/client.js';
import { encodeAck, encodeData } from '../../src/tftp/packet.js';
import { RawPeer } from './raw.js';

it.each(['get', 'put'] as const)(
  'aborts a stalled %s with kind aborted and sends ERROR 0',
  async (direction) => {
    const server = await RawPeer.open();
    const serverPort = server.port;
    const controller = new AbortController();
    const options = {
      server: '127.0.0.1',
      port: serverPort,
      filename: 'stall.bin',
      signal: controller.signal,
      timeoutMs: 5000,
    };
    const transfer =
      direction === 'get'
        ? tftpGet(options).catch((e) => e)
        : tftpPut({ ...options, data: Buffer.alloc(4096) }).catch((e) => e);
    try {
      const request = await server.next();
      expect(request?.packet.op).toBe(direction === 'get' ? 'RRQ' : 'WRQ');
      // Answer from the same socket (its port is our TID), then go silent.
      server.send(
        direction === 'get' ? encodeData(1, Buffer.alloc(512)) : encodeAck(0),
        request?.port as number,
      );
      await server.next(); // ACK 1 or DATA 1: the transfer is under way
      controller.abort();
      expect(await transfer).toMatchObject({ kind: 'aborted' });
      const told = await server.burst(100);
      expect(told.map((r) => r.packet)).toContainEqual(expect.objectContaining({ op: 'ERROR', code: 0 }));
    } finally {
      server.close();
    }
  },
);
