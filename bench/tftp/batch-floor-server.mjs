// The floor's windowed transfers (floor-server.mjs, the same protocol code) on the batch socket addon
// (batch-socket.c) instead of node:dgram: what a TFTP server in JS could reach with the datagrams of a
// loop turn read in one JS call and its answers sent in one, atftp's 10 MB transfers beside ours,
// Node's dgram floor and atftpd.
import { setTimeout } from 'node:timers';
import { batchSockets } from './batch-socket.mjs';
import { floorTransfer } from './floor-server.mjs';

/** Serves `file` to readers and takes any upload, on the addon compiled at `addon`. */
export function startBatchFloorServer(file, addon) {
  const sockets = batchSockets(addon);
  const listener = sockets.open('127.0.0.1', 0, (request, port, address) => {
    let id;
    const send = (packet) => sockets.send(id, port, address, packet);
    const done = () => setTimeout(() => sockets.close(id), 100);
    const { oack, onDatagram } = floorTransfer(Buffer.from(request), file, send, done);
    // The floor keeps what it is given; the addon's views last for the call only.
    ({ id } = sockets.open('127.0.0.1', 0, (data) => onDatagram(Buffer.from(data))));
    send(oack);
  });
  return { port: listener.port, stop: async () => sockets.close(listener.id) };
}
