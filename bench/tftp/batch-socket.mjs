// The JS side of batch-socket.c (UDP sockets whose datagrams reach JS in batches): compiled with gcc
// as the bench compiles its C floor, loaded with require, and wrapped so that a server reads like one
// on node:dgram: a handler per socket, a send per datagram. Underneath, one JS call delivers every
// datagram of a loop turn, and every answer queued meanwhile leaves in one call at its end, in runs
// of one sendmmsg per socket.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiled } from './gcc.mjs';

const SOURCE = fileURLToPath(new URL('./batch-socket.c', import.meta.url));
// Node's headers beside its binary (/usr/bin/node: /usr/include/node), as Debian's nodejs ships them.
const HEADERS = join(dirname(process.execPath), '..', 'include', 'node');
// As batch-socket.c lays out its shared areas.
const SLOTS = 1024;
const SLOT_BYTES = 2048;
const META = 4;

/** Compiles the addon into `dir`: its path, or undefined without gcc or Node's headers. */
export async function compileBatchSocket(dir) {
  if (!existsSync(join(HEADERS, 'node_api.h'))) return undefined;
  return compiled(dir, 'batch-socket.node', ['-shared', '-fPIC', '-O2', `-I${HEADERS}`, SOURCE]);
}

/**
 * The sockets of the addon at `path` (one set per process). `open(address, port, onDatagram)` binds
 * one: onDatagram(data, port, address) gets a view of the datagram valid during the call only (keep
 * a copy), and the peer's IPv4 address as a number. `send(id, port, address, packet)` queues a
 * datagram (a Buffer, or a list of them sent as one), `dropped` counts those the kernel refused,
 * `calls` the batches received.
 */
export function batchSockets(path) {
  const native = createRequire(import.meta.url)(path);
  // By the id's index (its low 16 bits, batch-socket.c), with the id: a datagram read for a socket
  // closed since, in the same batch, never reaches the one opened in its place.
  const handlers = [];
  const ids = [];
  let queued = 0;
  let dropped = 0;
  let calls = 0;
  let batching = false;
  const flush = () => {
    const count = queued;
    queued = 0;
    if (count > 0) dropped += count - native.send(count);
  };
  const areas = native.init((count) => {
    calls++;
    batching = true;
    for (let slot = 0, at = 0; slot < count; slot++, at += META) {
      const length = rxMeta[at + 1];
      if (length < 0) continue; // larger than a slot: dropped, as a TFTP server drops what it cannot read
      const id = rxMeta[at];
      if (ids[id & 0xffff] === id)
        handlers[id & 0xffff](
          Buffer.from(areas.rx, slot * SLOT_BYTES, length),
          rxMeta[at + 2],
          rxMeta[at + 3] >>> 0,
        );
    }
    batching = false;
    flush();
  });
  const rxMeta = new Int32Array(areas.rxMeta);
  const txMeta = new Int32Array(areas.txMeta);
  const tx = new Uint8Array(areas.tx);
  // Answers queued outside a batch (a timer, a promise's continuation) leave after that JS (next tick).
  const send = (id, port, address, packet) => {
    if (ids[id & 0xffff] !== id) throw new Error(`batch socket ${id} is not open`);
    if (queued === SLOTS) flush();
    else if (queued === 0 && !batching) process.nextTick(flush);
    let length = 0;
    for (const part of Array.isArray(packet) ? packet : [packet]) {
      tx.set(part, queued * SLOT_BYTES + length);
      length += part.length;
    }
    const at = queued++ * META;
    txMeta[at] = id;
    txMeta[at + 1] = length;
    txMeta[at + 2] = port;
    txMeta[at + 3] = address;
  };
  return {
    open(address, port, onDatagram) {
      const [id, bound] = native.open(address, port);
      ids[id & 0xffff] = id;
      handlers[id & 0xffff] = onDatagram;
      return { id, port: bound };
    },
    send,
    close(id) {
      flush(); // what it queued leaves first, as with node:dgram
      native.close(id);
      ids[id & 0xffff] = undefined;
      handlers[id & 0xffff] = undefined;
    },
    get dropped() {
      return dropped;
    },
    /** JS calls the datagrams came in: how much they were batched. */
    get calls() {
      return calls;
    },
  };
}
