// Backup of many loopback-lab devices: wall time and peak RSS of `netops run`, against the lower
// bound that the devices' simulated delays impose. Not a test: it prints figures.
//   npm run bench:backup            (BACKUP_BENCH_DEVICES, BACKUP_BENCH_CONCURRENCY, BACKUP_BENCH_LATENCY_MS)
// The lab runs in this process; netops runs as a child, so its RSS is its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { labEnvironment, labInventory } from '../../dist/lab/lab-inventory.js';
import { Terminal } from '../../dist/lab/cli/terminal.js';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';

// Every output write of a simulated device waits latencyMs: count them for the lower bound.
let delayedWrites = 0;
const print = Terminal.prototype.print;
Terminal.prototype.print = function (text) {
  if (text !== '') delayedWrites++;
  return print.call(this, text);
};

const devices = Number(process.env.BACKUP_BENCH_DEVICES ?? 200);
const concurrency = Number(process.env.BACKUP_BENCH_CONCURRENCY ?? 50);
const latencyMs = Number(process.env.BACKUP_BENCH_LATENCY_MS ?? 50);
const tftpPort = 20000 + Math.floor(Math.random() * 20000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'netops-bench-backup-'));

const lab = await startLoopbackLab({
  devices,
  platforms: ['ios', 'nxos'],
  configBytes: 50_000,
  snmp: false,
  tftpPort,
  faults: { latencyMs },
});
// IPv4 hosts only: one backup per device.
const inventory = parse(labInventory(lab));
inventory.hosts = Object.fromEntries(
  Object.entries(inventory.hosts).filter(([name]) => !name.endsWith('-v6')),
);
writeFileSync(path.join(dir, 'inventory.yaml'), stringify(inventory));
writeFileSync(
  path.join(dir, 'job.yaml'),
  `inventory: inventory.yaml
concurrency: ${concurrency}
trustNewHostKeys: true
tftp: { listen: ["127.0.0.1:${tftpPort}"], timeout: 60 }
store: { dir: store }
steps:
  - task: backup
    params: { method: tftp-cli }
`,
);

const started = performance.now();
const child = spawn(process.execPath, [path.resolve('dist/cli/main.js'), 'run', 'job.yaml', '--json'], {
  cwd: dir,
  env: { ...process.env, ...labEnvironment(lab), NETOPS_STATE_DIR: path.join(dir, 'state') },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
child.stdout.on('data', (chunk) => (stdout += chunk));
let peakKiB = 0;
const poll = setInterval(() => {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
  } catch {
    // the process has ended
  }
}, 50);
const code = await new Promise((resolve) => child.on('close', resolve));
clearInterval(poll);
const wallMs = performance.now() - started;
const record = JSON.parse(stdout);

// A device's session is sequential, so its delayed writes add up; at most `concurrency` devices work at once.
const perDevice = delayedWrites / devices;
const lowerBoundMs = Math.ceil(devices / concurrency) * perDevice * latencyMs;
console.log(
  `backup of ${devices} devices (50 KB configs, ${latencyMs} ms per response), concurrency ${concurrency}`,
);
console.log(`  exit ${code}: ${record.summary.changed} changed, ${record.summary.failed} failed`);
console.log(`  wall time          ${(wallMs / 1000).toFixed(2)} s (netops process start to exit)`);
console.log(`  peak RSS           ${(peakKiB / 1024).toFixed(0)} MiB (netops process)`);
console.log(
  `  lower bound        ${(lowerBoundMs / 1000).toFixed(2)} s (${Math.ceil(devices / concurrency)} waves x ${perDevice.toFixed(1)} delayed writes x ${latencyMs} ms)`,
);
console.log(`  ratio              ${(wallMs / lowerBoundMs).toFixed(2)} x the lower bound`);
await lab.close();
rmSync(dir, { recursive: true, force: true });
