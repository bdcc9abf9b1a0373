// `netops run JOB --plan` for a large inventory: validates the job and the inventory, prints every
// step per host, contacts nothing. Against `netops --version` (start-up alone) and bare node in the
// same run. Issue 16: 1,000 hosts under 0.5 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../harness/results.mjs';
import { timeCommands, withAndWithoutExtraCa } from '../harness/spawn-time.mjs';

export const about = {
  title: 'netops run JOB --plan for a large inventory',
  baseline: '`node -e 0` and `netops --version`, measured in turns with the plan',
  params: ['devices'],
  defaults: { devices: 1000, runs: 11 },
  smoke: { devices: 20, runs: 1 },
};

/** An inventory of `devices` IOS and NX-OS hosts in two groups, and a backup + collect job on it. */
export function writePlanJob(dir, devices) {
  const hosts = Array.from(
    { length: devices },
    (_, i) =>
      `  r${i}:\n    address: 198.18.${Math.floor(i / 250)}.${(i % 250) + 1}\n    groups: [${i % 2 ? 'nexus' : 'ios'}, site-a]`,
  );
  writeFileSync(
    path.join(dir, 'inventory.yaml'),
    `defaults: { transport: ssh, credentials: noc }
credentials:
  noc: { username: netops, password: { env: NETOPS_BENCH_PASSWORD } }
groups:
  site-a: { data: { site: a } }
  ios: { platform: ios }
  nexus: { platform: nxos }
hosts:
${hosts.join('\n')}
`,
  );
  writeFileSync(
    path.join(dir, 'job.yaml'),
    `name: plan-bench
inventory: inventory.yaml
concurrency: 100
tftp: { listen: ['127.0.0.1:16969'] }
store: { dir: store }
steps:
  - task: backup
    params: { method: auto }
  - task: collect
`,
  );
  return path.join(dir, 'job.yaml');
}

export async function run({ devices, runs }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-plan-'));
  try {
    const job = writePlanJob(dir, devices);
    const netops = path.join(root, 'dist/cli/bin.cjs');
    // The plan as after an edit of the inventory: a state folder that cannot be written keeps no
    // inventory data between runs (yaml-data-cache.ts), so each run reads the YAML. The goal is judged
    // on it; `plan` (a state folder of its own, so the data read by its first run is kept) is a
    // cron's run of an unchanged inventory.
    const noState = ['/usr/bin/env', 'NETOPS_STATE_DIR=/dev/null/netops-bench-no-state'];
    const ca = withAndWithoutExtraCa([
      { label: 'node', argv: [process.execPath, '-e', '0'] },
      { label: 'version', argv: [process.execPath, netops, '--version'] },
      { label: 'planRead', argv: [...noState, process.execPath, netops, 'run', job, '--plan'] },
      { label: 'plan', argv: [process.execPath, netops, 'run', job, '--plan'] },
    ]);
    const { extraCa, judged, judgedAs, nodeBeside } = ca;
    // The bin runs the CLI's bundle with a V8 code cache (src/cli/code-cache.cts), kept in a cache
    // folder of the bench's own: each command runs once untimed first, so the cache is warm, as a
    // user's is after their first command.
    const env = {
      NETOPS_BENCH_PASSWORD: 'bench',
      NETOPS_STATE_DIR: path.join(dir, 'state'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
    };
    for (const { argv } of ca.commands)
      spawnSync(argv[0], argv.slice(1), { cwd: dir, env: { ...process.env, ...env } });
    const t = timeCommands(ca.commands, { runs, cwd: dir, env });
    const row = (measure, label, field = 'median') => ({
      measure,
      unit: 's',
      netops: t[label][field],
      baseline: t[nodeBeside(label)][field],
      baselineName: 'node -e 0',
    });
    const goal = devices === 1000 ? { max: 0.5, text: 'under 0.5 s at 1,000 hosts' } : undefined;
    return {
      rows: [
        { ...row(`run --plan, ${devices} hosts x 2 steps (median)${judgedAs}`, judged('planRead')), goal },
        ...(extraCa
          ? [
              row(
                `run --plan, ${devices} hosts x 2 steps (median), with this machine's NODE_EXTRA_CA_CERTS`,
                'planRead',
              ),
            ]
          : []),
        row(
          `run --plan, ${devices} hosts, inventory unchanged since the last run (its data kept) (median)${judgedAs}`,
          judged('plan'),
        ),
        row(`netops --version (median)${judgedAs}`, judged('version')),
        ...(t.node.cpu === undefined
          ? []
          : [
              row(`run --plan, ${devices} hosts, CPU (median)${judgedAs}`, judged('planRead'), 'cpu'),
              row(
                `run --plan, ${devices} hosts, inventory data kept, CPU (median)${judgedAs}`,
                judged('plan'),
                'cpu',
              ),
            ]),
      ],
      notes: [
        `fastest of ${runs}: node ${t.node.min.toFixed(3)} s, --version ${t.version.min.toFixed(3)} s, plan ${t.planRead.min.toFixed(3)} s (inventory data kept: ${t.plan.min.toFixed(3)} s)`,
        ...(extraCa
          ? [
              `${ca.note}; fastest of ${runs} without it: node ${t.nodeNoCa.min.toFixed(3)} s, plan ${t.planReadNoCa.min.toFixed(3)} s (inventory data kept: ${t.planNoCa.min.toFixed(3)} s).`,
            ]
          : []),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
