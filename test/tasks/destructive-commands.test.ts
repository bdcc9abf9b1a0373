/**
 * Destructive commands are platform data: `write erase` in a `command` step is refused without
 * --yes before anything is contacted (exit 2, nothing in the device's command log), shows in the
 * plan naming the command, and with --yes is sent with its `[confirm]` answered. A question no
 * platform dialog answers is refused at once (DIALOG_UNANSWERED) instead of hanging to the step limit.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 100, snmp: false });
const device = (platform: string): LabDevice => t.lab.devices.find((d) => d.platform === platform)!;
const typed = (d: LabDevice) => d.device.log.map((e) => e.line);

async function job(name: string, task: string, params: Record<string, unknown>): Promise<string> {
  await writeFile(
    path.join(t.dir, `${name}.yaml`),
    `name: ${name}\ninventory: inventory.yaml\ntimeouts: { step: 60s }\nsteps:\n  - task: ${task}\n    name: ${name}\n    params: ${JSON.stringify(params)}\n`,
  );
  return `${name}.yaml`;
}

describe('write erase in a command step', () => {
  it('without --yes exits 2 naming the command, and the device saw no command at all', async () => {
    const ios = device('ios');
    ios.device.log.length = 0;
    const file = await job('erase', 'command', { commands: ['show version', 'write erase'] });
    const result = await runNetops(['run', file, '--limit', ios.name], { cwd: t.dir, env: t.env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('CONFIRM_REQUIRED');
    expect(result.stderr).toContain('"write erase" erases the startup-config');
    expect(typed(ios)).toEqual([]);
  });

  it('shows in the plan as destructive, naming the command and its effect', async () => {
    const ios = device('ios');
    const result = await runNetops(['run', 'erase.yaml', '--plan', '--limit', ios.name], {
      cwd: t.dir,
      env: t.env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Destructive steps: erase');
    expect(result.stdout).toMatch(/1\. erase \(command\) {2}\[destructive\]/);
    expect(result.stdout).toMatch(
      /run "write erase" on \S+ over ssh {2}\[destructive: erases the startup-config/,
    );
    expect(result.stdout).not.toMatch(/run "show version"[^\n]*destructive/);
  });

  it.each(['ios', 'nxos'])(
    'with --yes on %s is sent, its question answered, and the startup-config erased',
    async (platform) => {
      const d = device(platform);
      d.device.log.length = 0;
      d.device.setStartup(d.device.body());
      const result = await runNetops(['run', 'erase.yaml', '--yes', '--json', '--limit', d.name], {
        cwd: t.dir,
        env: t.env,
      });
      const record = runRecordSchema.parse(JSON.parse(result.stdout));
      const step = record.hosts[0]!.steps[0]!;
      expect(step.status, step.error?.message).toBe('ok');
      expect(typed(d)).toContain('write erase');
      expect(d.device.startup).toBeUndefined();
    },
  );
});

describe('a question netops has no answer for', () => {
  it('is refused at once with DIALOG_UNANSWERED, not at the step time limit', async () => {
    const ios = device('ios');
    // Copying to a flash file is not destructive, so no dialog is known for it: its question is refused.
    const file = await job('unlisted', 'command', {
      commands: ['copy running-config flash:backup.cfg'],
      timeoutMs: 50_000,
    });
    const result = await runNetops(['run', file, '--json', '--limit', ios.name], { cwd: t.dir, env: t.env });
    const step = runRecordSchema.parse(JSON.parse(result.stdout)).hosts[0]!.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error?.code).toBe('DIALOG_UNANSWERED');
    expect(step.error?.message).toMatch(/Destination filename \[backup\.cfg\]\?/);
    expect(ios.device.files.has('flash:backup.cfg')).toBe(false);
  });
});

describe('config lines that cut the device off', () => {
  it('no ip address on the management interface needs --yes; on an unknown one it is flagged in the plan', async () => {
    const nxos = device('nxos');
    nxos.device.log.length = 0;
    const file = await job('mgmt', 'config', {
      lines: ['interface mgmt0', 'no ip address', 'interface Ethernet1/9', 'shutdown'],
    });
    const refused = await runNetops(['run', file, '--limit', nxos.name], { cwd: t.dir, env: t.env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('"no ip address" removes the address of the management interface mgmt0');
    expect(typed(nxos)).toEqual([]);
    const ios = device('ios');
    const plan = await runNetops(['run', file, '--plan', '--limit', ios.name], { cwd: t.dir, env: t.env });
    expect(plan.stdout).toMatch(
      /no ip address {2}\[check: removes the address of mgmt0;.*data\.managementInterface/,
    );
    expect(plan.stdout).toMatch(/shutdown {2}\[check: shuts down Ethernet1\/9/);
    expect(plan.stdout).not.toContain('[destructive]');
  });
});
