/**
 * netops backs up every unfriendly persona (test/lab/personas.ts) with the `show` method and, where
 * the persona concerns the CLI session, `tftp-cli`: over SSH and Telnet, to 127.0.0.1 and ::1. One
 * lab, one device per persona, every combination of a persona at once.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Closable, TaskContext } from '../../src/tasks/task.js';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { showRunning, tftpCli } from '../../src/tasks/backup/cli-methods.js';
import type { UploadPlan } from '../../src/tasks/backup/method.js';
import { jobTftp } from '../../src/tasks/resources/job-tftp.js';
import { tftpSettingsSchema } from '../../src/tftp/settings.js';
import { freeUdpPort } from '../tasks/backup-helpers.js';
import { personaOverrides, personas } from '../../src/lab/personas.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost, taskContext } from './lab-hosts.js';

let tftpPort: number;
const resources = new Map<string, Promise<Closable>>();

// Host keys of the lab are pinned on first use in a state folder of this test only.
useStateDir(useTempDir('netops-personas-'));
beforeAll(async () => {
  tftpPort = await freeUdpPort();
});
const lab = useLoopbackLab(() => ({
  devices: personas.length,
  platforms: ['ios', 'nxos'],
  bootMs: 200,
  snmp: false,
  tftpPort,
  overrides: personaOverrides(),
}));
// Before the lab closes (hooks after the tests run last-declared first).
afterAll(async () => {
  await Promise.all([...resources.values()].map(async (r) => (await r).close({} as never)));
});

const combos = (['ssh', 'telnet'] as const).flatMap((via) =>
  (['127.0.0.1', '::1'] as const).map((address) => ({ via, address })),
);

interface Fetched {
  readonly text: string;
  readonly notes: readonly string[];
}

async function backUp(
  device: LabDevice,
  via: 'ssh' | 'telnet',
  address: string,
  method: 'show' | 'tftp-cli',
): Promise<Fetched> {
  const host = {
    ...labHost(lab, device, address),
    name: `${device.name}-${via}-${address}`,
    transport: via,
    port: via === 'ssh' ? device.ports.ssh : device.ports.telnet,
  };
  const notes: string[] = [];
  const base = taskContext(host, os.tmpdir());
  const ctx: TaskContext = {
    ...base,
    signal: AbortSignal.timeout(30_000),
    job: {
      ...base.job,
      settings: {
        tftp: tftpSettingsSchema.parse({ listen: [`127.0.0.1:${tftpPort}`, `[::1]:${tftpPort}`] }),
      },
    },
    resource: <T extends Closable>(key: string, open: () => Promise<T>) => {
      if (!resources.has(key)) resources.set(key, open());
      return resources.get(key) as Promise<T>;
    },
    note: (message) => notes.push(message),
  };
  const upload = async (): Promise<UploadPlan> => ({
    tftp: await jobTftp(ctx),
    sources: [address],
    filename: `${host.name.replace(/:/g, '_')}-${method}-confg`,
    timeoutMs: 15_000,
  });
  const fetched: unknown = await (method === 'show' ? showRunning : tftpCli).fetch(ctx, upload);
  // The text alone, or with the size evidence the device gave (issue 13 item 5).
  const text = typeof fetched === 'string' ? fetched : (fetched as { text: string }).text;
  return { text, notes };
}

describe.each(personas.map((p, i) => ({ ...p, index: i })))('persona $name ($platform)', (persona) => {
  const methods = persona.tftpCli ? (['show', 'tftp-cli'] as const) : (['show'] as const);
  it.concurrent.each(methods)('is backed up with %s over SSH and Telnet, IPv4 and IPv6', async (method) => {
    const device = lab.devices[persona.index]!;
    const results = await Promise.all(combos.map(({ via, address }) => backUp(device, via, address, method)));
    for (const [i, { text, notes }] of results.entries()) {
      const where = `${combos[i]!.via} ${combos[i]!.address} ${method}`;
      const lines = text.split('\n');
      expect(text, where).toContain(`hostname ${device.name}`);
      // Neither the command's echo nor a prompt is part of the config.
      expect(
        lines.filter((l) => /^(\S+[#>])?\s*show running-config\s*$/.test(l)),
        where,
      ).toEqual([]);
      expect(
        lines.filter((l) => /^r\d+[#>]\s?$/.test(l.trim())),
        where,
      ).toEqual([]);
      if (persona.platform === 'ios') expect(text.trimEnd(), where).toMatch(/\nend$/);
      if (method === 'show' && persona.platform === 'ios') {
        expect(lines.slice(0, 3), where).toEqual([
          'Building configuration...',
          '',
          expect.stringMatching(/^Current configuration : \d+ bytes$/),
        ]);
      }
      if (method === 'show' && persona.platform === 'nxos') {
        expect(lines[1], where).toBe('!Command: show running-config');
        if (persona.faults.lastDoneHeader)
          expect(lines[2], where).toMatch(/^!Running configuration last done at: /);
      }
      const refused = persona.faults.refuseTerminal ?? [];
      expect(notes, where).toEqual(
        refused.map((what) =>
          expect.stringMatching(
            new RegExp(
              `^"terminal ${what} \\d+" was refused \\(% Invalid input detected at '\\^' marker\\.\\)`,
            ),
          ),
        ),
      );
    }
  });
});
