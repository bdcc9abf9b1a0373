// One server of the 10 MB part in a process of its own, like the daemons it is timed against, so that
// every server's CPU is read the same way (/proc/PID/stat) and nothing of the bench's own is in it:
//   node bench/tftp/serve.mjs ours ROOT    our server, standalone over ROOT (overwrite: repeated uploads)
//   node bench/tftp/serve.mjs floor ROOT   the minimal node:dgram server (floor-server.mjs) serving ROOT/big.bin
//   node bench/tftp/serve.mjs batch ROOT ADDON   the same on the batch socket addon compiled at ADDON
// Prints the UDP port it listens on (127.0.0.1), then serves until SIGTERM.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TftpServer } from '../../dist/tftp/server.js';
import { startBatchFloorServer } from './batch-floor-server.mjs';
import { startFloorServer } from './floor-server.mjs';

const [kind, root, addon] = process.argv.slice(2);
if (kind === 'ours') {
  const server = await TftpServer.start({
    listen: [{ address: '127.0.0.1', port: 0 }],
    root,
    overwrite: true,
  });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.stdout.write(`${server.addresses()[0].port}\n`);
} else if (kind === 'floor' || kind === 'batch') {
  const file = await readFile(join(root, 'big.bin'));
  const floor = kind === 'floor' ? await startFloorServer(file) : startBatchFloorServer(file, addon);
  process.once('SIGTERM', () => void floor.stop().then(() => process.exit(0)));
  process.stdout.write(`${floor.port}\n`);
} else {
  process.stderr.write('usage: node bench/tftp/serve.mjs ours|floor ROOT, or batch ROOT ADDON\n');
  process.exit(2);
}
