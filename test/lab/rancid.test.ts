import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { password, run, smallLab } from './lab-peers.js';

const lab = useStarted(() => smallLab());
const home = useTempDir('rancid-home-');
beforeAll(async () => {
  const port = lab.devices[0]!.ports.ssh;
  // clogin reads credentials and the method (with port) from ~/.cloginrc, which must be private.
  const cloginrc = [
    `add method 127.0.0.1 {ssh:${port}}`,
    'add user 127.0.0.1 admin',
    `add password 127.0.0.1 ${password} lab-enable`,
    'add sshcmd 127.0.0.1 {{ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null}}',
  ];
  await writeFile(join(home, '.cloginrc'), `${cloginrc.join('\n')}\n`);
  await chmod(join(home, '.cloginrc'), 0o600);
});

const env = () => ({ ...process.env, HOME: home });

describe('RANCID against an IOS device', () => {
  it('clogin -c "show version" logs in and runs the command', async () => {
    const { stdout } = await run('clogin', ['-c', 'show version', '127.0.0.1'], {
      env: env(),
      timeout: 60_000,
    });
    expect(stdout).toContain('Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M7');
    expect(stdout).not.toMatch(/Error:|timeout/i);
  });

  it('rancid -t cisco writes a config that ends in end and carries the inventory', async () => {
    const { stderr } = await run('rancid', ['-t', 'cisco', '127.0.0.1'], {
      env: env(),
      cwd: home,
      timeout: 90_000,
    });
    // An incomplete collection (no `end`, no clean `exit`) is reported so and its HOST.new removed.
    expect(stderr).not.toContain('End of run not found');
    const config = await readFile(join(home, '127.0.0.1.new'), 'utf8');
    expect(config).toMatch(/^!RANCID-CONTENT-TYPE: cisco/);
    expect(config).toContain('hostname r1');
    expect(config).toMatch(/!SN: FTX\w+/);
    expect(config).toContain('!Image: Software: C2900-UNIVERSALK9-M, 15.2(4)M7');
    expect(config.trimEnd()).toMatch(/\nend$/);
  });
});
