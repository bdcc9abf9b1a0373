// A/B of the server's work for many concurrent uploads between builds of src/tftp, against Node's
// dgram floor: each variant's server runs in a process of its own (upload-server.mjs: ours in job
// mode, or the floor's bare sockets answering each datagram), the clients (clients.mjs) in another;
// variants alternate round by round (A B floor, then floor B A). Per variant: the server process's
// CPU per DATA packet (its start-up included, the same for every build) and its minor page faults
// per upload (memory new to the process: on this VM a first touch costs ~15 us per 4 KiB page, so a
// fault count moves the CPU figure and, unlike it, does not move with the machine's load).
// Variants `batch` (the floor on the batch socket addon, batch-socket.c) and `c` (c-floor.c) are
// compiled with gcc first. Node's variants also print their CPU from listening on ("serving": no
// start-up, the figure bench.mjs gives for Node's floor).
// Not a bench: no result file; run it through the bench lock.
//   flock /tmp/netops-bench.lock node bench/tftp/ab-uploads.mjs [--uploads 1000] [--size 51200]
//     [--rounds 4] DIST... [floor] [batch] [c]
// e.g. `npx tsc -p tsconfig.build.json --outDir .dist-before` at one commit, then
// `node bench/tftp/ab-uploads.mjs .dist-before dist floor`.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileBatchSocket } from './batch-socket.mjs';
import { blocksOf } from './content.mjs';
import { compileCFloor } from './gcc.mjs';
import { cFloorRun, uploadOptions, uploadRun } from './upload-run.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { ...uploadOptions(1000), rounds: { type: 'string', default: '4' } },
});
const count = Number(values.uploads);
const size = Number(values.size);
const packets = count * blocksOf(size);

const work = await mkdtemp(join(tmpdir(), 'netops-ab-uploads-'));
const built = {
  batch: positionals.includes('batch') && (await compileBatchSocket(work)),
  c: positionals.includes('c') && (await compileCFloor(work)),
};
for (const [variant, path] of Object.entries(built)) {
  if (path === undefined) throw new Error(`${variant}: gcc (or Node's headers) missing: npm run lab:deps`);
}

/** One server process taking `count` uploads: its CPU (microseconds) and minor page faults. */
async function served(variant) {
  if (variant === 'c') return cFloorRun(built.c, count, size);
  const mode = ['floor', 'batch'].includes(variant) ? variant : 'ours';
  const { code, errors } = await uploadRun({ mode, count, size, dist: variant, addon: built.batch });
  if (code !== 0)
    throw new Error(`upload-server.mjs ${variant}: exit ${code} (an upload missing or of the wrong size)`);
  return JSON.parse(errors.trim().split('\n').at(-1));
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const seen = Object.fromEntries(positionals.map((variant) => [variant, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const variant of round % 2 === 0 ? positionals : [...positionals].reverse()) {
    const usage = await served(variant);
    seen[variant].push(usage);
    const serving = usage.serving === undefined ? '' : ` (${(usage.serving / packets).toFixed(1)} serving)`;
    // Every upload's datagrams, the WRQ included, over the JS calls they came in.
    const batched = usage.calls
      ? `, ${((count * (blocksOf(size) + 1)) / usage.calls).toFixed(2)} datagrams per JS call`
      : '';
    console.log(
      `round ${round + 1} ${variant}: ${(usage.cpu / packets).toFixed(1)} us per DATA packet${serving}, ` +
        `${(usage.minorFaults / count).toFixed(1)} page faults per upload${batched} (load ${loadavg()[0].toFixed(1)})`,
    );
  }
}
for (const [variant, list] of Object.entries(seen)) {
  const perPacket = list.map((usage) => usage.cpu / packets);
  console.log(
    `${variant}: median ${median(perPacket).toFixed(1)} us per DATA packet (${Math.min(...perPacket).toFixed(1)}-${Math.max(...perPacket).toFixed(1)}), ` +
      `${(median(list.map((usage) => usage.minorFaults)) / count).toFixed(1)} page faults per upload; ${count} concurrent ${size}-byte uploads`,
  );
}
await rm(work, { recursive: true, force: true });
