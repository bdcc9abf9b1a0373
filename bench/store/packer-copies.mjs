// What handing a run's changed copies to `git fast-import` costs this process, in process, A/B
// between builds: each build's BlobPacker (store/blob-packer.ts) given N copies of a lab config as
// the store holds them after writing (a Buffer each), into a child's stdin as GitStore does it: the
// packer's feed writes into the pipe (since session 14; a build before it hands an async iterable,
// which goes through `pipeline` as GitStore then did); the child only reads (`cat > /dev/null`), so
// git's own work is left out. Builds alternate round by round (round 0 warms both up). Both builds
// share this process's Node stream code: a deoptimization one causes in it costs the other too.
//   node --expose-gc bench/store/packer-copies.mjs [--rounds 12] [--hosts 400] .dist-before .dist-after
// CPU is process.cpuUsage (every thread of this process) per copy. Not a bench: no result file.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildBenchOptions, labDevices } from './lab-configs.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';

const { values, builds, hosts, load } = buildBenchOptions({ rounds: '12', hosts: '400' });
const packers = await Promise.all(builds.map((build) => load(build, 'store/blob-packer.js')));
const copies = labDevices(hosts, Number(values['config-bytes'])).map(({ body }) =>
  Buffer.from(`${body}end\n`, 'utf8'),
);

/** A stand-in for `git fast-import --quiet`: a child that reads the stream and drops it. */
const readingChild = (input) =>
  new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'cat > /dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('close', resolve);
    if (typeof input === 'function') input(child.stdin);
    else pipeline(Readable.from(input), child.stdin).catch(reject);
  });

const samples = builds.map(() => ({ cpu: [], system: [] }));
for (let round = 0; round <= Number(values.rounds); round++) {
  for (const [index, { BlobPacker }] of packers.entries()) {
    await collectGarbage();
    const before = process.cpuUsage();
    const packer = new BlobPacker(readingChild);
    packer.start();
    for (const copy of copies) await packer.add(copy);
    await packer.finish();
    const { user, system } = process.cpuUsage(before);
    if (round === 0) continue;
    samples[index].cpu.push((user + system) / copies.length);
    samples[index].system.push(system / copies.length);
  }
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)].toFixed(0);
const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`${copies.length} copies, ${values.rounds} rounds, load ${load1}; us of CPU per copy`);
console.log('build                 lower quartile / median   (system, median)');
for (const [index, build] of builds.entries()) {
  const { cpu, system } = samples[index];
  console.log(
    `${build.padEnd(20)} ${quantile(cpu, 0.25).padStart(8)} / ${quantile(cpu, 0.5).padStart(6)}   (${quantile(system, 0.5)})`,
  );
}
