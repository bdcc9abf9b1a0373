// The other cost a first run pays per device besides storing its config: pinning its SSH host key.
// In process, A/B between builds: N new keys arrive one per 10 ms (a first run's pace at 1,000
// devices and parallelism 100) through the known-hosts check into a fresh file, then the same keys
// again, already pinned. Builds alternate round by round, so the machine's load falls on every
// build alike. CPU is process.cpuUsage (every thread: the thread pool's fs work included).
//   npx tsc -p tsconfig.build.json --outDir .dist-before   (and .dist-after from your change)
//   node bench/store/new-host-keys.mjs [--rounds 7] [--keys 300] .dist-before .dist-after
// Not a bench: no result file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { root } from '../harness/results.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '7' }, keys: { type: 'string', default: '300' } },
});
const builds = positionals.length > 0 ? positionals : ['dist'];
const keys = Number(values.keys);

/** An ssh-ed25519 public key blob in SSH wire form. */
function newKey() {
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.alloc(8 + type.length + 32);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(32, 4 + type.length);
  randomBytes(32).copy(blob, 8 + type.length);
  return blob;
}

/** CPU per key, in us, of every key checked one per 10 ms. */
async function checkAll(verifyHostKey, file, fleet) {
  const before = process.cpuUsage();
  const checked = [];
  for (const { id, key } of fleet) {
    checked.push(verifyHostKey({ file, id, trustNew: true }, key));
    await sleep(10);
  }
  await Promise.all(checked);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / fleet.length;
}

const loaded = await Promise.all(
  builds.map((build) => import(pathToFileURL(path.resolve(root, build, 'transport/known-hosts.js')).href)),
);
const samples = builds.map(() => ({ fresh: [], known: [] }));
for (let round = 0; round <= Number(values.rounds); round++) {
  for (const [index, { verifyHostKey }] of loaded.entries()) {
    const dir = mkdtempSync(path.join(tmpdir(), 'netops-new-host-keys-'));
    const fleet = Array.from({ length: keys }, (_, i) => ({ id: `[127.0.0.1]:${20000 + i}`, key: newKey() }));
    try {
      const fresh = await checkAll(verifyHostKey, path.join(dir, 'known-hosts'), fleet);
      const known = await checkAll(verifyHostKey, path.join(dir, 'known-hosts'), fleet);
      if (round === 0) continue; // warms every build up
      samples[index].fresh.push(fresh);
      samples[index].known.push(known);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];
const figure = (xs) => `${quantile(xs, 0.25).toFixed(0)} / ${quantile(xs, 0.5).toFixed(0)} us`;
console.log(
  `${keys} keys one per 10 ms, ${values.rounds} rounds; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
for (const [index, build] of builds.entries()) {
  console.log(
    `${build.padEnd(20)} CPU per key, lower quartile / median: new ${figure(samples[index].fresh)}, already pinned ${figure(samples[index].known)}`,
  );
}
