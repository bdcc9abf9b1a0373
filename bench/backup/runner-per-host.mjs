// In process, the runner's own CPU per host (issue 16): runJob over many hosts at a backup's
// concurrency with a task that uses its context as a backup does (progress, two secrets, a result
// with a backup's data) but does no I/O, so what is measured is the runner: queue, context, step,
// time limit, abort, redaction, results and record. Builds alternate round by round; a build is a
// folder `npx tsc -p tsconfig.build.json --outDir .dist-mine` wrote. Not a bench: no result file.
//   node bench/backup/runner-per-host.mjs [--rounds 30] [--hosts 1000] [--concurrency 100] DIST...
import path from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { root } from '../harness/results.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '30' },
    hosts: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '100' },
  },
});
const builds = await Promise.all(
  (positionals.length > 0 ? positionals : ['dist']).map(async (dist) => ({
    dist,
    runJob: (await import(path.resolve(root, dist, 'runner/runner.js'))).runJob,
    defineTask: (await import(path.resolve(root, dist, 'tasks/task.js'))).defineTask,
  })),
);
const credentials = { username: 'admin', password: { env: 'PW' }, enable: { env: 'EN' } };
const hosts = Array.from({ length: Number(values.hosts) }, (_, i) => ({
  ...{ name: `r${i}`, address: '127.0.0.1', port: 2000 + i, family: undefined, platform: 'ios' },
  ...{ transport: 'ssh', console: undefined, snmp: undefined, credentials, groups: [], data: {} },
  ssh: { legacyAlgorithms: false, trustNewHostKey: true },
}));
const job = {
  ...{ file: 'job.yaml', dir: root, name: 'bench', inventoryFiles: [], limit: [], settings: {} },
  ...{ concurrency: Number(values.concurrency), stepTimeoutMs: 300_000, connectTimeoutMs: 30_000 },
  ...{ retries: 0, retryBackoffMs: 1, confirm: false, trustNewHostKeys: true, recordsDir: 'runs' },
  steps: [{ name: 'backup', task: 'backup', params: {}, timeoutMs: undefined, retries: undefined }],
};

/** A backup's use of its context, without a device or a store. */
function backupShaped(defineTask) {
  return defineTask({
    name: 'backup',
    summary: 'runner bench',
    params: z.object({}),
    async run(ctx) {
      ctx.progress?.('connecting and logging in over ssh');
      await ctx.secret(credentials.password);
      await ctx.secret(credentials.enable);
      await turn();
      ctx.progress?.('logged in over ssh, working on the CLI session');
      await turn();
      const attempts = [{ method: 'show', ok: true }];
      const saved = { path: `configs/${ctx.host.name}.cfg`, changed: false, created: false, diff: '' };
      return {
        status: 'ok',
        summary: 'show, 50321 bytes, unchanged',
        data: { method: 'show', attempts, ...saved, bytes: 50_321, masked: 124, dropped: 3, sizes: [] },
      };
    },
  });
}

const perHost = new Map(builds.map((b) => [b.dist, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
    const tasks = { backup: backupShaped(build.defineTask) };
    const before = process.cpuUsage();
    const record = await build.runJob({ job, hosts, tasks, secret: async () => 'a-secret', threads: 1 });
    JSON.stringify(record, null, 2);
    const { user, system } = process.cpuUsage(before);
    if (record.summary.ok !== hosts.length)
      throw new Error(`${build.dist}: ${JSON.stringify(record.summary)}`);
    perHost.get(build.dist).push((user + system) / hosts.length);
  }
}
for (const [dist, runs] of perHost) {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (q) => sorted[Math.floor(q * (sorted.length - 1))].toFixed(1);
  console.log(`${dist}: ${at(0.5)} us per host (median), lower quartile ${at(0.25)}; ${runs.length} rounds`);
}
