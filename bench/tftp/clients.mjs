// The client side of the TFTP bench, run as a child process so that its CPU is not the server's:
//   node bench/tftp/clients.mjs tftp PORT COUNT SIZE   COUNT concurrent tftpPut uploads of upload(i)
//   node bench/tftp/clients.mjs floor PORTS-JSON SIZE  lock-step datagrams of 4 + 512 bytes to each port,
//                                                      as many as a SIZE-byte upload sends (WRQ + blocks)
// Prints one JSON line: { ms, failed, cpu }.
import { createSocket } from 'node:dgram';
import { tftpPut } from '../../dist/tftp/client.js';
import { blocksOf, upload } from './content.mjs';

async function tftpClients(port, count, size) {
  const files = Array.from({ length: count }, (_, i) => upload(i, size));
  // Timed from here: generating the payloads is not part of the transfers.
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const results = await Promise.allSettled(
    files.map((data, i) =>
      tftpPut({ server: '127.0.0.1', port, filename: `r${i}-confg`, data, timeoutMs: 1000, retries: 8 }),
    ),
  );
  const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message));
  return { ms: Date.now() - started, failed, cpu: process.cpuUsage(cpuBefore) };
}

async function floorClients(ports, size) {
  const packet = Buffer.alloc(4 + 512, 1);
  const exchanges = blocksOf(size) + 1;
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  await Promise.all(
    ports.map(async (port) => {
      const socket = createSocket('udp4');
      await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
      await new Promise((resolve) => {
        let answered = 0;
        socket.on('message', () => {
          if (++answered === exchanges) resolve();
          else socket.send(packet, port, '127.0.0.1');
        });
        socket.send(packet, port, '127.0.0.1');
      });
      socket.close();
    }),
  );
  return { ms: Date.now() - started, failed: [], cpu: process.cpuUsage(cpuBefore) };
}

const [mode, target, ...rest] = process.argv.slice(2);
const result =
  mode === 'floor'
    ? await floorClients(JSON.parse(target), Number(rest[0]))
    : await tftpClients(Number(target), Number(rest[0]), Number(rest[1]));
process.stdout.write(JSON.stringify(result));
process.exit(0);
