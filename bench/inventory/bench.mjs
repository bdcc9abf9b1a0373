// Inventory load at scale: wall time and peak RSS of netops' loader (fast read with js-yaml, schema,
// inheritance; positions only when asked for) for 10k, 20k and 50k hosts and for one 50 MB line,
// against two baselines measured in the same run on the same file: plain
// `yaml.parse(text, { uniqueKeys: false })` (the library's default duplicate-key check is itself
// quadratic in the keys of a mapping) and plain js-yaml `load(text)`. Also the load followed by every
// host's origins (`inventory list --show-origin`: builds the Document with positions). Not a test:
// it prints figures and whether the target (50k hosts under 2 s and 300 MB) is met on this machine;
// netops' time per host should stay flat from 10k to 50k.
//   npm run bench:inventory           (INVENTORY_BENCH_SIZES=10000,20000,50000; NETOPS_DIST=dist)
// Each measurement runs in its own process, so each peak RSS is that load's alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(path.dirname(here), '../../dist'));

if (process.argv[2] === '--measure') {
  const [, , , mode, file] = process.argv;
  const { parse } = await import('yaml');
  const { load } = (await import('js-yaml')).default;
  const { readFileSync } = await import('node:fs');
  const { loadInventory } = await import(pathToFileURL(path.join(dist, 'config/inventory.js')).href);
  const { inventoryVocabulary } = await import(pathToFileURL(path.join(dist, 'cli/load.js')).href);
  const started = process.hrtime.bigint();
  let hosts;
  if (mode === 'yaml')
    hosts = Object.keys(parse(readFileSync(file, 'utf8'), { uniqueKeys: false }).hosts).length;
  else if (mode === 'js-yaml') hosts = Object.keys(load(readFileSync(file, 'utf8')).hosts).length;
  else {
    // The loader before the vocabulary existed took the files alone.
    const inventory = await loadInventory([file], inventoryVocabulary?.()).catch((error) => {
      if (error.code !== 'CONFIG_INVALID') throw error;
      return undefined; // a value too long to parse is refused up front
    });
    hosts = inventory ? inventory.hosts.size : 'refused';
    if (inventory && mode === 'origins') for (const name of inventory.hosts.keys()) inventory.origins(name);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, hosts }));
  process.exit(0);
}

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
  const result = spawnSync(process.execPath, [here, '--measure', mode, file], {
    encoding: 'utf8',
    env: { ...process.env, NETOPS_PASSWORD: 'bench' },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${mode} ${file}: ${result.stderr.slice(0, 2000)}`);
  return JSON.parse(result.stdout);
}

const sizes = (process.env.INVENTORY_BENCH_SIZES ?? '10000,20000,50000').split(',').map(Number);
const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-inventory-'));
try {
  const cases = sizes.map((n) => ({ name: `${n} hosts`, hosts: n, lineMB: 0 }));
  cases.push({
    name: 'one 50 MB line',
    hosts: 1000,
    lineMB: Number(process.env.INVENTORY_BENCH_LINE_MB ?? 50),
  });
  console.log(
    `netops inventory load vs plain parses of the same file (${dist}), load ${os.loadavg()[0].toFixed(1)}`,
  );
  console.log('yaml: yaml.parse(text, { uniqueKeys: false }); js-yaml: load(text); each in its own process');
  console.log('netops: loadInventory; +origins: then origins() of every host (--show-origin)');
  console.log(
    'case              file MB   yaml ms  RSS MB  js-yaml ms  RSS MB   netops ms  RSS MB  /yaml  /js-yaml  µs/host  +origins ms  RSS MB',
  );
  for (const c of cases) {
    const file = path.join(dir, `${c.hosts}-${c.lineMB}.yaml`);
    const text = inventoryText(c.hosts, c.lineMB);
    writeFileSync(file, text);
    const base = measure('yaml', file);
    const fast = measure('js-yaml', file);
    const ours = measure('netops', file);
    const origins = c.lineMB ? undefined : measure('origins', file);
    if (ours.hosts !== c.hosts + (c.lineMB ? 1 : 0) && !(c.lineMB && ours.hosts === 'refused'))
      throw new Error(`${c.name}: loaded ${ours.hosts} hosts`);
    console.log(
      [
        c.name.padEnd(16),
        (text.length / 1e6).toFixed(1).padStart(8),
        base.ms.toFixed(0).padStart(7),
        base.rssMB.toFixed(0).padStart(6),
        fast.ms.toFixed(0).padStart(10),
        fast.rssMB.toFixed(0).padStart(6),
        ours.ms.toFixed(0).padStart(10),
        ours.rssMB.toFixed(0).padStart(6),
        `${(ours.ms / base.ms).toFixed(2)}x`.padStart(5),
        `${(ours.ms / fast.ms).toFixed(2)}x`.padStart(8),
        ((ours.ms * 1000) / c.hosts).toFixed(0).padStart(7),
        (origins ? origins.ms.toFixed(0) : '-').padStart(11),
        (origins ? origins.rssMB.toFixed(0) : '-').padStart(6),
        ours.hosts === 'refused' ? '  (refused before parsing)' : '',
      ].join('  '),
    );
    if (c.hosts === 50000 && !c.lineMB) {
      const met = ours.ms < 2000 && ours.rssMB < 300;
      console.log(
        `  target 50k hosts < 2000 ms and < 300 MB: ${met ? 'met' : 'NOT met'} on this machine now`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
