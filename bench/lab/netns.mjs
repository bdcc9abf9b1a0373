// The netns lab's costs, as root: time to bring up and tear down 50 simulated devices (a namespace,
// a veth and one simulator process each), against a 1-device lab measured in the same run, and the
// RSS of the scale namespace's simulator processes at 1,000 and 5,000 device addresses.
// Run: npm run build && sudo node bench/lab/netns.mjs   (NETNS_BENCH_FRR=10 adds 10 FRR devices)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { netnsLabUp } from '../../dist/lab/netns/netns-lab.js';
import { parseNetnsSpec } from '../../dist/lab/netns/spec.js';
import { netnsLabDown } from '../../dist/lab/netns/teardown.js';

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function timed(spec) {
  const dir = await mkdtemp(path.join(tmpdir(), 'netops-netns-bench-'));
  try {
    let start = performance.now();
    const state = await netnsLabUp(parseNetnsSpec(spec), { dir, readyTimeoutMs: 600_000 });
    const up = performance.now() - start;
    // The scale devices may be shared out over several simulator processes (the file limit).
    const sims = state.processes.filter((p) => p.name.startsWith('scale/sim'));
    let rssKiB = sims.length > 0 ? 0 : undefined;
    for (const sim of sims) {
      rssKiB += Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${sim.pid}/status`, 'utf8'))?.[1]);
    }
    start = performance.now();
    await netnsLabDown(dir);
    return { up, down: performance.now() - start, rssKiB };
  } finally {
    await netnsLabDown(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

const sims = (n) =>
  Array.from({ length: n }, (_, i) => ({ name: `r${i + 1}`, platform: i % 2 ? 'nxos' : 'ios' }));

const one = await timed({ devices: sims(1) });
console.log(`baseline, 1 simulated device:  up ${seconds(one.up)}, down ${seconds(one.down)}`);
const fifty = await timed({ devices: sims(50) });
console.log(
  `50 simulated devices:          up ${seconds(fifty.up)}, down ${seconds(fifty.down)}  (${(fifty.up / one.up).toFixed(1)}x / ${(fifty.down / one.down).toFixed(1)}x the baseline)`,
);

const frr = Number(process.env.NETNS_BENCH_FRR ?? 0);
if (frr > 0) {
  const devices = Array.from({ length: frr }, (_, i) => ({
    name: `f${i + 1}`,
    platform: 'frr',
    bgpNeighbors: [i % 2 ? `f${i}` : `f${i + 2}`].filter((n) => Number(n.slice(1)) <= frr),
  }));
  const f = await timed({ devices });
  console.log(`${frr} FRR devices (6 daemons each): up ${seconds(f.up)}, down ${seconds(f.down)}`);
}

for (const n of [1000, 5000]) {
  // IPv4 only: 3 sockets per device keep 5,000 devices under a 20,000 open-file hard limit.
  const s = await timed({ scale: { devices: n, platforms: ['ios', 'nxos'], families: ['ipv4'] } });
  console.log(
    `scale, ${n} device addresses:  up ${seconds(s.up)}, down ${seconds(s.down)}, simulator RSS ${(s.rssKiB / 1024).toFixed(0)} MiB (${(s.rssKiB / n).toFixed(0)} KiB per device)`,
  );
}
