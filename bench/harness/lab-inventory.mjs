// The inventory a bench gives netops for a loopback lab: one host per device on 127.0.0.1 (the lab's
// `-v6` twins left out, so every device is backed up once), secrets from the lab's environment;
// and the backup job the backup and peer benches give netops for it (or for any lab's inventory).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { labInventory } from '../../dist/lab/lab-inventory.js';

export function ipv4LabInventory(lab) {
  const inventory = parse(labInventory(lab));
  inventory.hosts = Object.fromEntries(
    Object.entries(inventory.hosts).filter(([name]) => !name.endsWith('-v6')),
  );
  return stringify(inventory);
}

/**
 * Writes `dir/inventory.yaml` (the lab's IPv4 hosts) and `dir/job.yaml`: a backup of each with
 * `method` at `parallel`; `tftpPort` gives the hosted TFTP server a port of its own.
 */
export function writeBackupJob(dir, lab, { parallel, method = 'show', tftpPort }) {
  writeFileSync(path.join(dir, 'inventory.yaml'), ipv4LabInventory(lab));
  writeJob(dir, {
    parallel,
    method,
    ...(tftpPort === undefined ? {} : { tftpListen: `127.0.0.1:${tftpPort}` }),
  });
}

/** Writes `dir/job.yaml`: a backup of `dir/inventory.yaml`'s hosts with `method` at `parallel`, the hosted TFTP server on `tftpListen`. */
export function writeJob(dir, { parallel, method = 'show', tftpListen }) {
  const tftp = tftpListen === undefined ? '' : `tftp: { listen: ["${tftpListen}"], timeout: 60 }\n`;
  writeFileSync(
    path.join(dir, 'job.yaml'),
    `inventory: inventory.yaml
concurrency: ${parallel}
trustNewHostKeys: true
${tftp}store: { dir: store }
steps:
  - task: backup
    params: { method: ${method} }
`,
  );
}
