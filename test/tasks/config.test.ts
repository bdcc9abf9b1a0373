/**
 * The `config` task against the lab simulators: `--plan` lines, applied and saved lines visible in
 * the device's running and startup config, and a stop at the first refused line with its text.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { command } from '../../src/tasks/command.js';
import { config } from '../../src/tasks/config.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost, taskContext } from '../platforms/lab-hosts.js';

const jobDir = useTempDir('netops-config-');
useStateDir(path.join(jobDir, 'state'));
const lab = useLoopbackLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false });

const show = async (host: ReturnType<typeof labHost>, what: string) =>
  (
    (await command.run(taskContext(host, jobDir), command.params.parse({ commands: [what] }))).data?.[
      'outputs'
    ] as Record<string, string>
  )[what];

describe('config task', () => {
  it.each(['ios', 'nxos'])('applies and saves lines on %s', async (platform) => {
    const device = lab.devices.find((d) => d.platform === platform) as LabDevice;
    const host = labHost(lab, device);
    const p = config.params.parse({
      lines: ['interface Loopback77', ' description set by config task'],
      save: true,
    });
    expect(config.plan?.(host, p, { dir: '.', settings: {} })).toEqual([
      `configure ${device.name} over ssh (2 lines, then save with "copy running-config startup-config"):`,
      '  interface Loopback77',
      '   description set by config task',
    ]);
    const outcome = await config.run(taskContext(host, jobDir), p);
    expect(outcome).toMatchObject({ status: 'changed', summary: 'applied 2 lines, saved' });
    expect(await show(host, 'show running-config')).toContain(' description set by config task');
    expect(await show(host, 'show startup-config')).toContain(' description set by config task');
  });

  it('stops at the first refused line and reports it with the device message', async () => {
    const device = lab.devices.find((d) => d.platform === 'ios') as LabDevice;
    const host = labHost(lab, device, '127.0.0.1');
    const p = config.params.parse({
      lines: ['ip domain-name before.example', 'frobnicate', 'ip domain-name after.example'],
    });
    const error = (await config.run(taskContext(host, jobDir), p).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      details: Record<string, unknown>;
    };
    expect(error.code).toBe('COMMAND_REJECTED');
    expect(error.message).toMatch(/line 2 "frobnicate".*% Invalid input detected/);
    expect(error.details).toMatchObject({ line: 2, applied: 1 });
    const running = await show(host, 'show running-config');
    expect(running).toContain('ip domain-name before.example');
    expect(running).not.toContain('after.example');
  });
});
