// Inventory load at scale: wall time and peak RSS of netops' loader (fast read with js-yaml, schema,
// inheritance; positions only when asked for) for 10k, 20k and 50k hosts and for one 50 MB line,
// against two baselines measured in the same run on the same file: plain js-yaml `load(text)` and
// `yaml.parse(text, { uniqueKeys: false })` (the library's default duplicate-key check is itself
// quadratic in the keys of a mapping). Also the load followed by every host's origins (`inventory
// list --show-origin`). Target: 50k hosts under 2 s and 300 MB; time per host flat from 10k to 50k.
//   npm run bench -- inventory [--devices N]   (default sizes 10000,20000,50000 and the long line)
// Each measurement runs in its own process (measure.mjs), so each peak RSS is that load's alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const about = {
  title: 'Inventory load at scale',
  baseline: 'plain js-yaml load() and yaml.parse() of the same file, each in its own process, same run',
  params: ['devices'],
  defaults: { sizes: [10_000, 20_000, 50_000], lineMB: 50 },
  smoke: { sizes: [200], lineMB: 1 },
};

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A site inventory: groups with inheritance, credentials by reference, per-host data, as users write
 * them; with `lineMB`, the last host carries a note of that many MB on its one line.
 */
function inventoryText(hosts, lineMB) {
  const head = `defaults:
  transport: ssh
  data: { owner: noc }
credentials:
  lab: { username: admin, password: { env: NETOPS_PASSWORD } }
groups:
  site: { data: { site: a } }
  core: { groups: [site], platform: ios, credentials: lab }
  edge: { groups: [site], platform: nxos, credentials: lab, port: 2222 }
hosts:
`;
  const host = (i) =>
    `  r${i}: { address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, groups: [${i % 2 ? 'core' : 'edge'}], data: { rack: r${i % 40}, serial: FOC${String(i).padStart(8, '0')} } }\n`;
  const body = Array.from({ length: hosts }, (_, i) => host(i)).join('');
  const line = lineMB
    ? `  big: { address: 10.255.255.255, data: { note: "${'x'.repeat(lineMB * 1e6)}" } }\n`
    : '';
  return `${head}${body}${line}`;
}

function measure(mode, file) {
  const result = spawnSync(process.execPath, [path.join(here, 'measure.mjs'), mode, file], {
    encoding: 'utf8',
    env: { ...process.env, NETOPS_PASSWORD: 'bench' },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${mode} ${file}: ${result.stderr.slice(0, 2000)}`);
  return JSON.parse(result.stdout);
}

function rowsOf(c, { base, fast, ours, origins }) {
  const name = c.lineMB ? `${c.lineMB} MB line` : `${c.hosts} hosts`;
  const target = c.hosts === 50_000 && !c.lineMB;
  return [
    {
      measure: `${name}: load${ours.hosts === 'refused' ? ' (refused before parsing)' : ''}`,
      unit: 'ms',
      netops: ours.ms,
      baseline: fast.ms,
      baselineName: 'js-yaml',
      goal: target ? { max: 2000, text: 'under 2 s' } : undefined,
    },
    { measure: `${name}: load`, unit: 'ms', netops: ours.ms, baseline: base.ms, baselineName: 'yaml.parse' },
    {
      measure: `${name}: peak RSS`,
      unit: 'MB',
      netops: ours.rssMB,
      baseline: fast.rssMB,
      baselineName: 'js-yaml',
      goal: target ? { max: 300, text: 'under 300 MB' } : undefined,
    },
    ...(c.lineMB ? [] : [{ measure: `${name}: per host`, unit: 'us', netops: (ours.ms * 1000) / c.hosts }]),
    ...(origins
      ? [
          {
            measure: `${name}: load + every origin`,
            unit: 'ms',
            netops: origins.ms,
            baseline: fast.ms,
            baselineName: 'js-yaml',
          },
        ]
      : []),
  ];
}

export async function run({ sizes, lineMB, devices }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-inventory-'));
  try {
    const cases = (devices ? [devices] : sizes).map((n) => ({ hosts: n, lineMB: 0 }));
    if (!devices) cases.push({ hosts: 1000, lineMB });
    const rows = [];
    for (const c of cases) {
      const file = path.join(dir, `${c.hosts}-${c.lineMB}.yaml`);
      writeFileSync(file, inventoryText(c.hosts, c.lineMB));
      const ours = measure('netops', file);
      if (ours.hosts !== c.hosts + (c.lineMB ? 1 : 0) && !(c.lineMB && ours.hosts === 'refused'))
        throw new Error(`${c.hosts} hosts, ${c.lineMB} MB line: loaded ${ours.hosts} hosts`);
      const figures = { base: measure('yaml', file), fast: measure('js-yaml', file), ours };
      rows.push(...rowsOf(c, { ...figures, origins: c.lineMB ? undefined : measure('origins', file) }));
    }
    return { rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
