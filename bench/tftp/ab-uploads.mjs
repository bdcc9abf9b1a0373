// A/B of the server's work for many concurrent uploads between builds of src/tftp, against Node's
// dgram floor: each variant's server runs in a process of its own (upload-server.mjs: ours in job
// mode, or the floor's bare sockets answering each datagram), the clients (clients.mjs) in another;
// variants alternate round by round (A B floor, then floor B A). Per variant: the server process's
// CPU per DATA packet (its start-up included, the same for every build) and its minor page faults
// per upload (memory new to the process: on this VM a first touch costs ~15 us per 4 KiB page, so a
// fault count moves the CPU figure and, unlike it, does not move with the machine's load).
// Not a bench: no result file; run it through the bench lock.
//   flock /tmp/netops-bench.lock node bench/tftp/ab-uploads.mjs [--uploads 1000] [--size 51200]
//     [--rounds 4] DIST... [floor]
// e.g. `npx tsc -p tsconfig.build.json --outDir .dist-before` at one commit, then
// `node bench/tftp/ab-uploads.mjs .dist-before dist floor`.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { blocksOf } from './content.mjs';
import { uploadOptions, uploadRun } from './upload-run.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { ...uploadOptions(1000), rounds: { type: 'string', default: '4' } },
});
const count = Number(values.uploads);
const size = Number(values.size);
const packets = count * blocksOf(size);

/** One server process taking `count` uploads: its CPU (microseconds) and minor page faults. */
async function served(variant) {
  const mode = variant === 'floor' ? 'floor' : 'ours';
  const { code, errors } = await uploadRun({ mode, count, size, dist: variant });
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
    console.log(
      `round ${round + 1} ${variant}: ${(usage.cpu / packets).toFixed(1)} us per DATA packet, ` +
        `${(usage.minorFaults / count).toFixed(1)} page faults per upload (load ${loadavg()[0].toFixed(1)})`,
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
