// What each piece of a new config's store side costs, in process, one build: the pieces a backup's
// `saveConfig` adds for a config the store does not hold yet (tasks/backup/save.ts, GitStore.write,
// writeExplanation), each timed alone over N lab IOS configs of 50 KB prepared as a backup prepares
// them: the hashes (the copy's blob id, the received text's MAC; the explanation names the copy by
// that blob id since session 11, so the SHA-256 of the copy a record held before is timed apart), the
// UTF-8 encoding, the explanation's JSON and its file, and the copy's atomic write (temp file, fsync,
// rename) as the store does it. The pieces are not additive with the thread pool's overlap in a run;
// bench/store/unchanged-configs.mjs times saveConfig whole ("IOS new").
//   node --expose-gc bench/store/new-config-parts.mjs [--rounds 3] [--hosts 400] [BUILD]
// CPU is process.cpuUsage per config (user and system). Not a bench: no result file.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBenchOptions, labDevices } from './lab-configs.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';

const { values, builds, hosts, load } = buildBenchOptions({ rounds: '3', hosts: '400' });
const [build] = builds;
const { blobId } = await load(build, 'store/git.js');
const { contentDigest, writeExplanation } = await load(build, 'store/explanation.js');
const sha1 = (text) => blobId(text, 'sha1');
const { receivedMac, receivedMacKey } = await load(build, 'store/received-mac.js');
const { prepareConfig } = await load(build, 'store/prepare.js');
const { keyedPlaceholder } = await load(build, 'store/placeholder-key.js');
const { noNoiseRules } = await load(build, 'store/noise-rules.js');
const { platformNamed } = await load(build, 'platforms/registry.js');
const { writeFileAtomic } = await load(build, 'core/atomic-write.js');

const rules = platformNamed('ios').configRules;
const placeholder = keyedPlaceholder(Buffer.alloc(32, 7));
const raws = labDevices(hosts, Number(values['config-bytes']))
  .filter((device) => device.platform === 'ios')
  .map((device) => `${device.body}end\n`);
const prepared = raws.map((raw) => {
  const result = prepareConfig(raw, rules, { placeholder });
  if (!result.ok) throw new Error(result.reason);
  return result;
});
const macKey = receivedMacKey(Buffer.alloc(32, 3));
const shape = {
  platform: 'ios',
  rules,
  noise: noNoiseRules,
  sanitize: true,
  placeholders: 'keyed',
  allowShrink: false,
  baseline: undefined,
};

/** Mean CPU of `piece(i)` over every config, user and system, in us (a few calls first, untimed). */
async function time(name, piece) {
  for (let i = 0; i < 10; i++) await piece(i, 'warm');
  await collectGarbage();
  const before = process.cpuUsage();
  for (let i = 0; i < prepared.length; i++) await piece(i, 'timed');
  const { user, system } = process.cpuUsage(before);
  const per = (us) => (us / prepared.length).toFixed(0).padStart(5);
  console.log(`${name.padEnd(44)} ${per(user + system)} us (system ${per(system)})`);
}

const dir = await mkdtemp(path.join(tmpdir(), 'netops-new-config-parts-'));
process.env.NETOPS_STATE_DIR = path.join(dir, '.state');
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`round ${round + 1}: ${prepared.length} IOS configs, load ${load}`);
    const bytes = prepared.map((result) => Buffer.from(result.content, 'utf8'));
    const blobs = prepared.map((result) => sha1(result.content));
    const explanation = (i) => ({
      format: 2,
      host: `sw${i}`,
      platform: 'ios',
      at: new Date().toISOString(),
      file: `configs/sw${i}.cfg`,
      // As a backup writes it: the copy named by its blob id in the source (mac and shape stand-ins).
      source: {
        shape: 'f'.repeat(64),
        mac: 'f'.repeat(64),
        blob: blobs[i],
        masked: 0,
        dropped: 0,
      },
      received: prepared[i].received,
      changes: prepared[i].changes,
    });
    const folder = path.join(dir, `round${round}`);
    await mkdir(path.join(folder, 'configs'), { recursive: true });
    await mkdir(path.join(folder, 'tmp'), { recursive: true });
    await time("the copy's blob id (SHA-1)", (i) => blobId(prepared[i].content, 'sha1'));
    await time("the copy's SHA-256 (before session 11)", (i) => contentDigest(prepared[i].content));
    await time('the MAC of the received text', (i) => receivedMac(macKey, shape, raws[i]));
    await time('the copy as UTF-8 (Buffer.from)', (i) => Buffer.from(prepared[i].content, 'utf8'));
    await time("the explanation's changes as JSON", (i) => JSON.stringify(prepared[i].changes));
    await time('writeExplanation, a new file', (i, pass) =>
      writeExplanation(path.join(folder, pass), explanation(i)),
    );
    await time('writeExplanation, replacing the file', (i, pass) =>
      writeExplanation(path.join(folder, pass), explanation(i)),
    );
    await time('the copy written atomically (fsync, rename)', (i, pass) =>
      writeFileAtomic(path.join(folder, 'configs', `${pass}-sw${i}.cfg`), bytes[i], {
        tempDir: path.join(folder, 'tmp'),
        mode: 0o600,
        makeFolders: false,
        syncFolder: false,
      }),
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
