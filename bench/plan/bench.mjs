// `netops run JOB --plan` for a large inventory: validates the job and the inventory, prints every
// step per host, contacts nothing. Against `netops --version` (start-up alone) and bare node in the
// same run. Issue 16: 1,000 hosts under 0.5 s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../harness/results.mjs';
import { timeCommands } from '../harness/spawn-time.mjs';

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
    const t = timeCommands(
      [
        { label: 'node', argv: [process.execPath, '-e', '0'] },
        { label: 'version', argv: [process.execPath, netops, '--version'] },
        { label: 'plan', argv: [process.execPath, netops, 'run', job, '--plan'] },
      ],
      { runs, cwd: dir, env: { NETOPS_BENCH_PASSWORD: 'bench' } },
    );
    const base = { unit: 's', baseline: t.node.median, baselineName: 'node -e 0' };
    return {
      rows: [
        {
          measure: `run --plan, ${devices} hosts x 2 steps (median)`,
          netops: t.plan.median,
          ...base,
          goal: devices === 1000 ? { max: 0.5, text: 'under 0.5 s at 1,000 hosts' } : undefined,
        },
        { measure: 'netops --version (median)', netops: t.version.median, ...base },
        ...(t.node.cpu === undefined
          ? []
          : [
              {
                measure: `run --plan, ${devices} hosts, CPU (median)`,
                unit: 's',
                netops: t.plan.cpu,
                baseline: t.node.cpu,
                baselineName: 'node -e 0',
              },
            ]),
      ],
      notes: [
        `fastest of ${runs}: node ${t.node.min.toFixed(3)} s, --version ${t.version.min.toFixed(3)} s, plan ${t.plan.min.toFixed(3)} s`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
