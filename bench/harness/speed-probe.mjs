// How fast this machine runs right now: a fixed piece of work (hashing, sorting, JSON, as netops'
// own work mixes native and JS code), timed in CPU milliseconds, the best of three once compiled.
// A shared VM's speed moves under every absolute figure (the C floor's CPU per TFTP packet read 5.07
// and 8.13 us half an hour apart, at load under 1), so each result keeps the probe from its start
// and its end: a slower probe beside a higher figure is the machine, an unchanged probe is the code.
// It tracks compute only: it does not follow the VM's slower system calls.
import { createHash } from 'node:crypto';

const block = Buffer.alloc(4 * 2 ** 20, 7);
const records = Array.from({ length: 10_000 }, (_, i) => ({
  host: `r${i}`,
  address: `198.18.${i >> 8}.${i & 255}`,
  lines: [`interface GigabitEthernet0/${i % 48}`, ` description uplink-${i}`],
}));

function work() {
  let digest = '';
  for (let i = 0; i < 2; i++) digest = createHash('sha256').update(block).update(digest).digest('hex');
  const numbers = Array.from({ length: 100_000 }, (_, i) => (i * 2_654_435_761) % 1_000_003);
  numbers.sort((a, b) => a - b);
  const copy = JSON.parse(JSON.stringify(records));
  return digest.length + numbers[0] + copy.length;
}

/** CPU milliseconds of the fixed work, the least of three runs after one to compile it. */
export function speedProbe() {
  work();
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return Math.round(best * 10) / 10;
}
