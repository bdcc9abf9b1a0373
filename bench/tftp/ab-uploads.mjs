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
import { execFile, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { blocksOf } from './content.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    uploads: { type: 'string', default: '1000' },
    size: { type: 'string', default: '51200' },
    rounds: { type: 'string', default: '4' },
  },
});
const count = Number(values.uploads);
const size = Number(values.size);
const packets = count * blocksOf(size);

/** One server process taking `count` uploads: its CPU (microseconds) and minor page faults. */
async function served(variant) {
  const mode = variant === 'floor' ? 'floor' : 'ours';
  const server = spawn(
    process.execPath,
    [here('./upload-server.mjs'), mode, String(count), String(size), variant],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let errors = '';
  server.stderr.on('data', (data) => (errors += data));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const target = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (data) => {
      text += data;
      if (text.includes('\n')) resolve(text.trim());
    });
    server.once('exit', (code) =>
      reject(new Error(`upload-server.mjs ${variant} exited with ${code}: ${errors}`)),
    );
  });
  const clientArgs =
    mode === 'floor' ? ['floor', target, String(size)] : ['tftp', target, String(count), String(size)];
  await promisify(execFile)(process.execPath, [here('./clients.mjs'), ...clientArgs], { maxBuffer: 2 ** 26 });
  const code = await exited;
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
