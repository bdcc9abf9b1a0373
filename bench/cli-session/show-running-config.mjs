// `show running-config` of a 200 KB config over SSH through netops' channel (echo, prompt search on
// the tail, cleaning, error-marker check) versus streaming the same bytes over the same SSH channel
// with no prompt handling (write the command, count bytes until as many arrived as the channel run
// received). Both against the lab's IOS simulator in this process, alternating, median of N runs.
// Run: npm run build && node bench/cli-session/show-running-config.mjs [runs=15] [configBytes=200000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { openCliSession } from '../../dist/platforms/session.js';
import { labHost } from './lab-host.mjs';

const runs = Number(process.argv[2] ?? 15);
const configBytes = Number(process.argv[3] ?? 200_000);
const { performance } = globalThis;
const stateDir = await mkdtemp(path.join(tmpdir(), 'netops-bench-'));
process.env.NETOPS_STATE_DIR = stateDir;

const lab = await startLoopbackLab({ devices: 1, platforms: ['ios'], configBytes, snmp: false, bootMs: 0 });
const device = lab.devices[0];
const session = await openCliSession({
  host: labHost(lab, device),
  secret: async (ref) => ref.value,
});

async function throughChannel() {
  const start = performance.now();
  const result = await session.send('show running-config');
  return { ms: performance.now() - start, chars: result.raw.length, text: result.text.length };
}

/** The same command on the same SSH shell, counting raw bytes, no prompt or echo handling at all. */
function rawStream(expectedBytes) {
  return new Promise((resolve) => {
    const start = performance.now();
    let received = 0;
    const stop = session.channel.transport.onData((chunk) => {
      received += chunk.length;
      if (received >= expectedBytes) {
        stop();
        resolve({ ms: performance.now() - start, bytes: received });
      }
    });
    session.channel.transport.write('show running-config\n');
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Warm-up, and the size the raw run waits for (the channel consumed exactly one command's output).
const first = await throughChannel();
const channelMs = [];
const rawMs = [];
for (let i = 0; i < runs; i++) {
  channelMs.push((await throughChannel()).ms);
  rawMs.push((await rawStream(first.chars)).ms);
  // Let the raw run's trailing prompt arrive and be read before the next channel run.
  await session.channel.readUntil([/#\s?$/], { timeoutMs: 5000, waitingFor: 'prompt' });
}
await session.close();
await lab.close();
await rm(stateDir, { recursive: true, force: true });

const c = median(channelMs);
const r = median(rawMs);
console.log(
  `config: ${configBytes} bytes generated, ${first.chars} characters on the wire, ${first.text} after cleaning`,
);
console.log(`channel (prompt-driven) show running-config: median ${c.toFixed(1)} ms over ${runs} runs`);
console.log(`raw stream, same SSH channel, no prompt handling: median ${r.toFixed(1)} ms`);
console.log(`ratio channel / raw: ${(c / r).toFixed(2)} (goal <= 1.5)`);
