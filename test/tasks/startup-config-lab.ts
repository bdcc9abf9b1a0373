/**
 * A loopback lab (in this process) with an inventory carrying template data, and startup-config
 * jobs run through the real job loader and runner, as `netops run --yes` does.
 */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';
import type { Host } from '../../src/config/model.js';
import { labEnvironment, labInventory } from '../../src/lab/lab-inventory.js';
import { startLoopbackLab, type Lab, type LabDevice } from '../../src/lab/loopback-lab.js';
import type { LabSpecInput } from '../../src/lab/spec.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { runJob } from '../../src/runner/runner.js';
import { tasks } from '../../src/tasks/registry.js';
import { freeUdpPort } from './backup-helpers.js';

export const fixtures = fileURLToPath(new URL('../fixtures/startup-config/', import.meta.url));
export const templates = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Host data the templates read (n7k.liquid, ipsec-vpn.liquid). */
export const hostData = {
  location: 'lab rack 1',
  adminHash: '$5$Kp0Zl1nA$Vq4uQ0mX1l7cJpN0YQ3c2tR9bHf8eW1sZy6aD5gL2iO',
  mgmtGateway: '192.0.2.1',
  mgmtAddress: '192.0.2.20/24',
  vlans: [
    { id: 10, name: 'users' },
    { id: 20, name: 'voice' },
  ],
  vpn: {
    provider: 'ExampleNet',
    peer: '203.0.113.9',
    outsideInterface: 'GigabitEthernet0/1',
    outsideAddress: '198.51.100.2',
    outsideMask: '255.255.255.252',
    nextHop: '198.51.100.1',
    protected: [{ local: '10.1.0.0 0.0.255.255', remote: '10.200.0.0 0.0.255.255' }],
  },
};

export const vpnPsk = 'lab-psk-6f1c';

export interface JobOptions {
  readonly confirm?: boolean;
  /** The store's shrink guard off (`store.allowShrink: true`), as most tests want. @default true */
  readonly allowShrink?: boolean;
}

export interface StartupLab {
  readonly lab: Lab;
  readonly dir: string;
  readonly tftpPort: number;
  device(name: string): LabDevice;
  /** Writes NAME.yaml with one startup-config step; returns its absolute path. */
  job(name: string, params: Record<string, unknown>, options?: JobOptions): Promise<string>;
  /** Loads and runs a job file on `host` through the runner, confirmed like `--yes`. */
  run(file: string, host: string, patch?: (host: Host) => Host): Promise<RunRecord>;
}

export async function startStartupLab(spec: LabSpecInput): Promise<StartupLab> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-startup-'));
  const tftpPort = await freeUdpPort();
  const lab = await startLoopbackLab({ snmp: false, ...spec, tftpPort }, { dir: path.join(dir, 'lab') });
  const inventory = parse(labInventory(lab)) as { defaults: Record<string, unknown> };
  inventory.defaults['ssh'] = { trustNewHostKey: true };
  inventory.defaults['data'] = hostData;
  await writeFile(path.join(dir, 'inventory.yaml'), stringify(inventory));
  await cp(fixtures, path.join(dir, 'fixtures'), { recursive: true });
  await cp(templates, path.join(dir, 'templates'), { recursive: true });
  Object.assign(process.env, labEnvironment(lab), {
    NETOPS_STATE_DIR: path.join(dir, 'state'),
    VPN_PSK: vpnPsk,
  });
  return {
    lab,
    dir,
    tftpPort,
    device: (name) => lab.devices.find((d) => d.name === name) as LabDevice,
    async job(name, params, options = {}) {
      const file = path.join(dir, `${name}.yaml`);
      await writeFile(
        file,
        `name: ${name}
inventory: inventory.yaml
${options.confirm ? 'confirm: true\n' : ''}timeouts: { step: 60s }
tftp: { listen: ["127.0.0.1:${tftpPort}", "[::1]:${tftpPort}"], timeout: 8 }
store: { dir: store, ${options.allowShrink === false ? '' : 'allowShrink: true, '}author: { name: netops-test, email: test@example.net } }
steps:
  - task: startup-config
    params: ${JSON.stringify(params)}
`,
      );
      return file;
    },
    async run(file, host, patch = (h) => h) {
      const job = await loadJobFile(file);
      const { hosts } = await loadHosts(job.inventoryFiles, [host], () => undefined);
      return runJob({ job, hosts: hosts.map(patch), tasks, confirmed: true });
    },
  };
}
