// `npm run demo`: the main job end to end on this machine. Starts simulated management ports on
// 127.0.0.1 and ::1 (and leaves one device down on purpose), writes their inventory, runs
// jobs/demo.yaml with the built `netops`, shows the run record, and stops everything it started.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const dir = path.resolve('.netops/demo');
mkdirSync(dir, { recursive: true });

const listen = (address, port = 0) =>
  new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.end('SSH-2.0-netops-demo\r\n'));
    server.once('error', reject);
    server.listen(port, address, () => resolve(server));
  });

const servers = [];
const devices = [];
for (const [name, address] of [
  ['core1', '127.0.0.1'],
  ['core2', '::1'],
  ['edge1', '127.0.0.1'],
  ['edge2', '::1'],
]) {
  const server = await listen(address);
  servers.push(server);
  devices.push({ name, address, port: server.address().port });
}
// A device that is down: a port nothing listens on.
const probe = await listen('127.0.0.1');
const downPort = probe.address().port;
await new Promise((resolve) => probe.close(resolve));
devices.push({ name: 'down1', address: '127.0.0.1', port: downPort });

const inventory = path.join(dir, 'inventory.yaml');
writeFileSync(
  inventory,
  `# written by npm run demo\nhosts:\n${devices
    .map((d) => `  ${d.name}: { address: "${d.address}", port: ${d.port} }`)
    .join('\n')}\n`,
);

console.log(
  `demo: ${devices.length} devices (one down on purpose); inventory ${path.relative('.', inventory)}\n`,
);
const run = spawnSync(
  process.execPath,
  ['dist/cli/main.js', 'run', 'jobs/demo.yaml', '--inventory', inventory],
  {
    stdio: 'inherit',
  },
);
for (const server of servers) server.close();
console.log(`\ndemo: netops exited with ${run.status} (1 = some host failed: down1 is down on purpose)`);
console.log('demo: see the run record in runs/, and `netops run jobs/demo.yaml --help` for more');
process.exit(run.status === 1 ? 0 : 1);
