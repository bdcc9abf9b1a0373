// The receiving side of bench/tftp/instructions.mjs, in a process of its own (run under callgrind):
//   node bench/tftp/upload-server.mjs ours COUNT SIZE DIST   our server (DIST/tftp/server.js) in job mode,
//        expecting COUNT uploads r0-confg.. of SIZE bytes; prints its port
//   node bench/tftp/upload-server.mjs floor COUNT SIZE       COUNT bare sockets answering each datagram
//        with an ACK, as many as a SIZE-byte upload sends (WRQ + blocks); prints their ports (JSON)
//   node bench/tftp/upload-server.mjs batch COUNT SIZE ADDON   the same bare sockets on the batch
//        socket addon compiled at ADDON (batch-socket.mjs)
// Exits once every upload arrived (exit 1 if one is missing or of the wrong size), its own resource use
// last on stderr as one JSON line: { cpu (microseconds, user + system), minorFaults, serving (the CPU
// from the ports printed to the end: the floors' bound sockets, as bench.mjs times Node's floor),
// and for batch the JS calls its datagrams came in and the answers the kernel refused }.
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { batchSockets } from './batch-socket.mjs';
import { blocksOf } from './content.mjs';

// The last argument: DIST for ours, ADDON for batch.
const [mode, countText, sizeText, path = 'dist'] = process.argv.slice(2);
const count = Number(countText);
const size = Number(sizeText);
let ready; // process.cpuUsage() once listening
const listening = (ports) => {
  ready = process.cpuUsage();
  process.stdout.write(`${ports}\n`);
};

async function ours() {
  const { TftpServer } = await import(pathToFileURL(resolve(path, 'tftp/server.js')).href);
  const server = await TftpServer.start({ listen: [{ address: '127.0.0.1', port: 0 }], maxTransfers: 1024 });
  const uploads = Array.from({ length: count }, (_, i) =>
    server.expectUpload({ filename: `r${i}-confg`, from: ['127.0.0.1'], timeoutMs: 600_000 }),
  );
  listening(server.addresses()[0].port);
  const sizes = await Promise.all(
    uploads.map((upload) =>
      upload.then(
        (data) => data.length,
        () => -1,
      ),
    ),
  );
  await server.close();
  return sizes.every((bytes) => bytes === size);
}

/**
 * COUNT sockets answering each datagram with an ACK until each saw a SIZE-byte upload's datagrams.
 * `bind(onDatagram)` binds one: resolves { port, answer(from, then), close }, where `then` runs once
 * the ACK has left, so that closing cannot drop it.
 */
async function floor(bind) {
  const exchanges = blocksOf(size) + 1;
  let left = count;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const sent = () => --left === 0 && done();
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      let seen = 0;
      // No datagram comes before the ports are printed, so `socket` is set by the first one.
      const socket = await bind((from) => socket.answer(from, ++seen === exchanges ? sent : undefined));
      return socket;
    }),
  );
  listening(JSON.stringify(sockets.map((s) => s.port)));
  await finished;
  await Promise.all(sockets.map((s) => s.close()));
  return true;
}

const ack = Buffer.from([0, 4, 0, 0]);

/** Node's dgram floor: one node:dgram socket per upload. */
async function dgramSocket(onDatagram) {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.on('message', (_message, from) => onDatagram(from));
  return {
    port: socket.address().port,
    answer: (from, then) => socket.send(ack, from.port, from.address, then),
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}

/** The batch socket addon's floor: its sockets, the ACKs of a loop turn sent together at its end. */
function batchSocket(sockets) {
  return async (onDatagram) => {
    const { id, port } = sockets.open('127.0.0.1', 0, (_data, port, address) =>
      onDatagram({ port, address }),
    );
    return {
      port,
      answer: (from, then) => {
        sockets.send(id, from.port, from.address, ack);
        if (then) process.nextTick(then);
      },
      close: async () => sockets.close(id),
    };
  };
}

const batch = mode === 'batch' ? batchSockets(path) : undefined;
const floors = { floor: dgramSocket, batch: batch && batchSocket(batch) };
const intact = floors[mode] ? await floor(floors[mode]) : await ours();
const usage = process.resourceUsage();
const since = process.cpuUsage(ready);
process.stderr.write(
  `${JSON.stringify({
    cpu: usage.userCPUTime + usage.systemCPUTime,
    minorFaults: usage.minorPageFault,
    serving: since.user + since.system,
    ...(batch ? { calls: batch.calls, dropped: batch.dropped } : {}),
  })}\n`,
);
process.exit(intact ? 0 : 1);
