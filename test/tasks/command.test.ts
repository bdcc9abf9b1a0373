/**
 * The `command` task against the lab simulators: outputs per command in the run record and, with
 * `dir`, one file per host and command; a refused command fails the step with the device's message.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { command } from '../../src/tasks/command.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost, taskContext } from '../platforms/lab-hosts.js';

const jobDir = useTempDir('netops-command-');
useStateDir(path.join(jobDir, 'state'));
const lab = useLoopbackLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false });

describe('command task', () => {
  it.each(['ios', 'nxos'])(
    'records the outputs of %s show commands and writes them as files',
    async (platform) => {
      const device = lab.devices.find((d) => d.platform === platform) as LabDevice;
      const host = labHost(lab, device);
      const p = command.params.parse({ commands: ['show version', 'show running-config'], dir: 'out' });
      expect(command.plan?.(host, p, { dir: '.', settings: {} })).toEqual([
        `run "show version" on ${device.name} over ssh`,
        `run "show running-config" on ${device.name} over ssh`,
        `write outputs to out/${device.name}/`,
      ]);
      const outcome = await command.run(taskContext(host, jobDir), p);
      const outputs = outcome.data?.['outputs'] as Record<string, string>;
      expect(outputs['show version']).toMatch(
        platform === 'ios' ? /Cisco IOS/ : /Cisco Nexus Operating System/,
      );
      expect(outputs['show running-config']).toContain(`hostname ${device.name}`);
      const folder = path.join(jobDir, 'out', device.name);
      expect(readdirSync(folder).sort()).toEqual(['show-running-config.txt', 'show-version.txt']);
      expect(readFileSync(path.join(folder, 'show-running-config.txt'), 'utf8')).toBe(
        `${outputs['show running-config']}\n`,
      );
    },
  );

  it.each(['ios', 'nxos'])(
    'masks the %s running-config secrets in the record and the files, which only the owner can read',
    async (platform) => {
      const device = lab.devices.find((d) => d.platform === platform) as LabDevice;
      const secrets = [
        ...device.device
          .body()
          .matchAll(/(?:key 7|secret 5|password [57]|community|auth sha|priv aes(?:-| )128) "?([^\s"]+)/g),
      ].map((m) => m[1] as string);
      expect(secrets.length).toBeGreaterThanOrEqual(6);
      const p = command.params.parse({ commands: ['show running-config'], dir: 'masked' });
      const outcome = await command.run(taskContext(labHost(lab, device), jobDir), p);
      const output = (outcome.data?.['outputs'] as Record<string, string>)['show running-config'] as string;
      const file = path.join(jobDir, 'masked', device.name, 'show-running-config.txt');
      const written = readFileSync(file, 'utf8');
      for (const secret of secrets) {
        expect(output).not.toContain(secret);
        expect(written).not.toContain(secret);
      }
      expect(output).toContain(
        platform === 'ios' ? 'enable secret 5 <removed>' : 'username admin password 5 <removed>',
      );
      expect(output).toContain(`hostname ${device.name}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    },
  );

  it('fails the step with COMMAND_REJECTED and the device message on an invalid command', async () => {
    const device = lab.devices.find((d) => d.platform === 'ios') as LabDevice;
    const error = (await command
      .run(
        taskContext(labHost(lab, device, '127.0.0.1'), jobDir),
        command.params.parse({ commands: ['show frobnicate'] }),
      )
      .catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('COMMAND_REJECTED');
    expect(error.message).toContain("% Invalid input detected at '^' marker.");
  });
});
