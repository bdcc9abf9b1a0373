// Node's dgram floor for one windowed transfer: the least a TFTP server written on node:dgram can do
// for atftp's 10 MB transfers (RRQ or WRQ, the options it asks for granted, DATA out or in per
// window, no loss handling, no disk). Timed beside ours and atftpd, it shows how much of the gap
// to atftpd is Node's own cost per datagram and how much is ours. The same transfers on the batch
// socket addon: batch-floor-server.mjs.
import { createSocket } from 'node:dgram';

const literal = (address, _family, callback) => callback(null, address, 4);

function optionsOf(request) {
  const [, , ...pairs] = request.subarray(2, -1).toString('latin1').split('\0');
  const options = new Map();
  for (let i = 0; i + 1 < pairs.length; i += 2) options.set(pairs[i].toLowerCase(), pairs[i + 1]);
  return options;
}

function header(op, block) {
  const packet = Buffer.allocUnsafe(4);
  packet.writeUInt16BE(op, 0);
  packet.writeUInt16BE(block & 0xffff, 2);
  return packet;
}

/**
 * One transfer as the floor serves it, on any socket: `send(packet)` sends a datagram (a Buffer or a
 * list of them) to the client, `done()` ends the transfer. Returns the OACK to send first and the
 * handler of each datagram that follows (which keeps the Buffers it is given).
 */
export function floorTransfer(request, file, send, done) {
  const options = optionsOf(request);
  const blksize = Number(options.get('blksize') ?? 512);
  const windowsize = Number(options.get('windowsize') ?? 1);
  return {
    oack: Buffer.from(`\0\x06blksize\0${blksize}\0windowsize\0${windowsize}\0`, 'latin1'),
    onDatagram:
      request.readUInt16BE(0) === 1
        ? serveRead(send, done, file, blksize, windowsize)
        : takeWrite(send, done, blksize, windowsize),
  };
}

/** Serves `file` to readers and takes any upload (kept in memory, then dropped). */
export async function startFloorServer(file) {
  const listener = createSocket('udp4');
  await new Promise((resolve) => listener.bind(0, '127.0.0.1', resolve));
  listener.on('message', (request, from) => {
    const socket = createSocket({ type: 'udp4', lookup: literal });
    const send = (packet) => socket.send(packet, from.port, from.address);
    const done = () => setTimeout(() => socket.close(), 100);
    const { oack, onDatagram } = floorTransfer(request, file, send, done);
    socket.bind(0, '127.0.0.1', () => {
      socket.on('message', onDatagram);
      send(oack);
    });
  });
  return { port: listener.address().port, stop: () => new Promise((resolve) => listener.close(resolve)) };
}

function serveRead(send, done, file, blksize, windowsize) {
  const last = Math.floor(file.length / blksize) + 1;
  return (ack) => {
    const acked = ack.readUInt16BE(2); // no wrap: 10 MB in blocks of 1468 stays under 65536
    if (acked === last) return done();
    for (let block = acked + 1; block <= Math.min(acked + windowsize, last); block++) {
      send([header(3, block), file.subarray((block - 1) * blksize, block * blksize)]);
    }
  };
}

function takeWrite(send, done, blksize, windowsize) {
  const chunks = [];
  let expected = 1;
  return (data) => {
    const block = data.readUInt16BE(2);
    if (block !== (expected & 0xffff)) return;
    chunks.push(data.subarray(4));
    expected++;
    if (data.length - 4 < blksize) {
      Buffer.concat(chunks);
      send(header(4, block));
      done();
    } else if ((expected - 1) % windowsize === 0) send(header(4, block));
  };
}
