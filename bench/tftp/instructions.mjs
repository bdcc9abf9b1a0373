// Server work per DATA packet counted in user-space instructions (valgrind's callgrind), ours against
// Node's dgram floor: the count is the same on a busy machine as on a quiet one, so changes worth a
// few percent can be compared where CPU time cannot (at load 10 the time bench varies by 20 % from
// run to run). Not counted: the kernel (syscalls, page faults) and time spent waiting; the CPU time
// per packet comes from `npm run bench -- tftp`.
//   npm run build && node bench/tftp/instructions.mjs [--uploads 100] [--size 51200] [--dist dist]
// Each server runs under callgrind in a process of its own (upload-server.mjs: ours in job mode, or the
// floor's bare sockets answering each datagram), once with one upload and once with `uploads` at once;
// the clients (clients.mjs) run outside it. Per packet = (count at N - count at 1) / ((N - 1) x blocks).
// --dist compares another build of src/tftp (e.g. one compiled from an older commit into /tmp).
// Takes a few minutes: callgrind runs the server about 50 times slower.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { blocksOf } from './content.mjs';
import { uploadOptions, uploadRun } from './upload-run.mjs';

const { values } = parseArgs({
  options: { ...uploadOptions(100), dist: { type: 'string', default: 'dist' } },
});
const uploads = Number(values.uploads);
const size = Number(values.size);

/** Instructions of one server process receiving `count` uploads. */
async function counted(mode, count, work) {
  const out = join(work, `${mode}-${count}.callgrind`);
  const wrapper = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`];
  const { code } = await uploadRun({ wrapper, mode, count, size, dist: values.dist });
  if (code !== 0)
    throw new Error(
      `upload-server.mjs ${mode} ${count}: exit ${code} (an upload missing or of the wrong size)`,
    );
  const totals = (await readFile(out, 'utf8')).match(/^(?:summary|totals): (\d+)/m);
  return Number(totals?.[1]);
}

const work = await mkdtemp(join(tmpdir(), 'netops-tftp-instructions-'));
try {
  const packets = (uploads - 1) * blocksOf(size);
  const perPacket = {};
  for (const mode of ['ours', 'floor']) {
    // The two sizes side by side: the machine's two cores each take one.
    const [one, many] = await Promise.all([counted(mode, 1, work), counted(mode, uploads, work)]);
    perPacket[mode] = (many - one) / packets;
    console.log(
      `${mode}: ${(one / 1e6).toFixed(0)} M instructions for 1 upload, ${(many / 1e6).toFixed(0)} M for ${uploads}: ${Math.round(perPacket[mode])} per DATA packet`,
    );
  }
  console.log(
    `ours / floor: ${(perPacket.ours / perPacket.floor).toFixed(2)}x (${uploads} concurrent ${size}-byte uploads, lock-step, blocks of 512)`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
