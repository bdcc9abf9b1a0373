/**
 * The Telnet filter answers negotiation wherever it arrives (start, middle, split across chunks),
 * answers TTYPE and NAWS, keeps IAC IAC as a data byte, and never answers the same request twice.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { openTelnet } from '../../src/transport/telnet.js';
import { TelnetParser, escapeIac } from '../../src/transport/telnet-protocol.js';

const IAC = 255,
  DO = 253,
  WILL = 251,
  WONT = 252,
  DONT = 254,
  SB = 250,
  SE = 240;

function parser() {
  const replies: number[][] = [];
  const p = new TelnetParser((b) => replies.push([...b]), { type: 'VT100', cols: 511, rows: 24 });
  return { p, replies };
}

describe('telnet protocol filter', () => {
  it('answers negotiation in the middle of a chunk and passes the data around it', () => {
    const { p, replies } = parser();
    const out = p.push(Buffer.from([...Buffer.from('User'), IAC, WILL, 1, ...Buffer.from('name: ')]));
    expect(out.toString()).toBe('Username: ');
    expect(replies).toEqual([[IAC, DO, 1]]);
  });

  it('handles a command split across chunks', () => {
    const { p, replies } = parser();
    expect(p.push(Buffer.from([65, IAC])).toString()).toBe('A');
    expect(p.push(Buffer.from([DO])).length).toBe(0);
    expect(p.push(Buffer.from([24, 66])).toString()).toBe('B');
    expect(replies).toEqual([[IAC, WILL, 24]]);
  });

  it('answers TTYPE SEND with its terminal type and DO NAWS with the window size', () => {
    const { p, replies } = parser();
    p.push(Buffer.from([IAC, DO, 31, IAC, SB, 24, 1, IAC, SE]));
    expect(replies).toEqual([
      [IAC, WILL, 31],
      [IAC, SB, 31, 1, 255, 255, 0, 24, IAC, SE],
      [IAC, SB, 24, 0, ...Buffer.from('VT100'), IAC, SE],
    ]);
  });

  it('refuses unknown options, answers each state change once, and keeps IAC IAC as data', () => {
    const { p, replies } = parser();
    const out = p.push(Buffer.from([IAC, DO, 34, IAC, DO, 34, IAC, WILL, 99, IAC, IAC, 66]));
    expect(replies).toEqual([
      [IAC, WONT, 34],
      [IAC, DONT, 99],
    ]);
    expect([...out]).toEqual([255, 66]);
  });

  it('doubles 0xFF in data it sends', () => {
    expect([...escapeIac(Buffer.from([1, 255, 2]))]).toEqual([1, 255, 255, 2]);
  });
});

describe('telnet transport on a socket', () => {
  it('sends IAC BRK for a break, doubles 0xFF in data, and strips negotiation from what it hands on', async () => {
    const received: number[] = [];
    let gotBytes: () => void = () => undefined;
    let connected!: (socket: net.Socket) => void;
    const accepted = new Promise<net.Socket>((resolve) => (connected = resolve));
    const server = net.createServer((socket) => {
      socket.on('data', (b: Buffer) => {
        received.push(...b);
        if (received.length >= 8) gotBytes();
      });
      connected(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    const transport = await openTelnet({
      target: { address: '::1', port: (server.address() as net.AddressInfo).port },
    });
    try {
      const data = new Promise<string>((resolve) =>
        transport.onData((chunk) => resolve(chunk.toString('latin1'))),
      );
      const peer = await accepted;
      peer.write(Buffer.from([...Buffer.from('r1'), IAC, WILL, 1, ...Buffer.from('#')]));
      expect(await data).toBe('r1#');
      transport.sendBreak();
      transport.write(Buffer.from([97, 255]));
      await new Promise<void>((resolve) => {
        gotBytes = resolve;
        if (received.length >= 8) resolve();
      });
      expect(received).toEqual([IAC, DO, 1, IAC, 243, 97, 255, 255]);
    } finally {
      await transport.close();
      server.close();
    }
  });
});
