// The receiving side of bench/tftp/instructions.mjs, in a process of its own (run under callgrind):
//   node bench/tftp/upload-server.mjs ours COUNT SIZE DIST   our server (DIST/tftp/server.js) in job mode,
//        expecting COUNT uploads r0-confg.. of SIZE bytes; prints its port
//   node bench/tftp/upload-server.mjs floor COUNT SIZE       COUNT bare sockets answering each datagram
//        with an ACK, as many as a SIZE-byte upload sends (WRQ + blocks); prints their ports (JSON)
// Exits once every upload arrived (exit 1 if one is missing or of the wrong size), its own resource use
// last on stderr as one JSON line: { cpu (microseconds, user + system), minorFaults } (ab-uploads.mjs).
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { blocksOf } from './content.mjs';

const [mode, countText, sizeText, dist = 'dist'] = process.argv.slice(2);
const count = Number(countText);
const size = Number(sizeText);

async function ours() {
  const { TftpServer } = await import(pathToFileURL(resolve(dist, 'tftp/server.js')).href);
  const server = await TftpServer.start({ listen: [{ address: '127.0.0.1', port: 0 }], maxTransfers: 1024 });
  const uploads = Array.from({ length: count }, (_, i) =>
    server.expectUpload({ filename: `r${i}-confg`, from: ['127.0.0.1'], timeoutMs: 600_000 }),
  );
  process.stdout.write(`${server.addresses()[0].port}\n`);
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

async function floor() {
  const ack = Buffer.from([0, 4, 0, 0]);
  const exchanges = blocksOf(size) + 1;
  let left = count;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = createSocket('udp4');
      await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
      let seen = 0;
      // The last answer is counted once it left, so that closing cannot drop it.
      const sent = () => --left === 0 && done();
      socket.on('message', (_message, from) => {
        socket.send(ack, from.port, from.address, ++seen === exchanges ? sent : undefined);
      });
      return socket;
    }),
  );
  process.stdout.write(`${JSON.stringify(sockets.map((s) => s.address().port))}\n`);
  await finished;
  await Promise.all(sockets.map((s) => new Promise((resolve) => s.close(resolve))));
  return true;
}

const intact = mode === 'floor' ? await floor() : await ours();
const usage = process.resourceUsage();
process.stderr.write(
  `${JSON.stringify({ cpu: usage.userCPUTime + usage.systemCPUTime, minorFaults: usage.minorPageFault })}\n`,
);
process.exit(intact ? 0 : 1);
