/** A loopback lab, its inventory and a backup job in a temp folder, for the backup tests. */
import { createSocket } from 'node:dgram';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { labEnvironment, labInventory } from '../../src/lab/lab-inventory.js';
import { startLoopbackLab, type Lab } from '../../src/lab/loopback-lab.js';
import type { LabSpecInput } from '../../src/lab/spec.js';

/** A UDP port free on both 127.0.0.1 and ::1: the lab's devices send TFTP there, our server listens there. */
export async function freeUdpPort(): Promise<number> {
  for (;;) {
    const v4 = createSocket('udp4');
    await new Promise<void>((resolve) => v4.bind(0, '127.0.0.1', resolve));
    const port = v4.address().port;
    const v6 = createSocket({ type: 'udp6', ipv6Only: true });
    const ok = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.bind(port, '::1', () => resolve(true));
    });
    v4.close();
    if (ok) {
      v6.close();
      return port;
    }
  }
}

export interface JobOptions {
  /** More `tftp:` settings (e.g. `advertise`). */
  readonly tftp?: Record<string, unknown>;
  /** More top-level YAML (e.g. a `notify:` section). */
  readonly extra?: string;
  /** The job's `inventory:` value, as YAML. @default the lab's inventory.yaml */
  readonly inventory?: string;
}

export interface BackupLab {
  readonly lab: Lab;
  readonly dir: string;
  readonly tftpPort: number;
  readonly env: Record<string, string>;
  /** Writes NAME.yaml with a backup step using these params; returns its path relative to `dir`. */
  job(name: string, params: Record<string, unknown>, options?: JobOptions): Promise<string>;
}

export async function startBackupLab(spec: LabSpecInput): Promise<BackupLab> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-backup-'));
  const tftpPort = await freeUdpPort();
  const lab = await startLoopbackLab({ ...spec, tftpPort }, { dir: path.join(dir, 'lab') });
  // The lab's devices are ours: pin their host keys on first use.
  const inventory = parse(labInventory(lab)) as { defaults: Record<string, unknown> };
  inventory.defaults['ssh'] = { trustNewHostKey: true };
  await writeFile(path.join(dir, 'inventory.yaml'), stringify(inventory));
  return {
    lab,
    dir,
    tftpPort,
    env: { ...labEnvironment(lab), NETOPS_STATE_DIR: path.join(dir, 'state') },
    async job(name, params, { tftp = {}, extra = '', inventory = 'inventory.yaml' } = {}) {
      const tftpSettings = { listen: [`127.0.0.1:${tftpPort}`, `[::1]:${tftpPort}`], timeout: 8, ...tftp };
      const file = `${name}.yaml`;
      await writeFile(
        path.join(dir, file),
        `name: ${name}
inventory: ${inventory}
concurrency: 8
timeouts: { step: 60s }
tftp: ${JSON.stringify(tftpSettings)}
store: { dir: store, author: { name: netops-test, email: test@example.net } }
${extra}steps:
  - task: backup
    params: ${JSON.stringify(params)}
`,
      );
      return file;
    },
  };
}
