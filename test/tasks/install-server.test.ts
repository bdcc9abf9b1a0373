/**
 * A step that installs a config (a restore with `apply`, a startup-config) needs an address of
 * netops' TFTP server to tell the device: a job without one is refused with the job's checks (what
 * `netops run` and `--plan` call before any device is contacted), at its place in the job file, exit
 * 2, instead of failing the install.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatError } from '../../src/cli/exit.js';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';
import { checkSteps } from '../../src/cli/preflight.js';
import { ConfigInvalidError } from '../../src/config/diagnostics.js';
import { tasks } from '../../src/tasks/registry.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-restore-tftp-');

const inventory = `hosts:
  r1: { address: 192.0.2.1, platform: ios }
  r2: { address: "2001:db8::2", platform: ios }
`;

/** Loads `job` (restore step below the given `tftp:` lines) and runs the job's checks on every host. */
async function check(tftp: string, restoreStep: string): Promise<unknown> {
  await writeFile(path.join(dir, 'inventory.yaml'), inventory);
  await writeFile(path.join(dir, 'new.cfg'), 'hostname r1\nend\n');
  const file = path.join(dir, 'job.yaml');
  await writeFile(
    file,
    `name: rollback
inventory: inventory.yaml
store: { dir: store }
restore: { enabled: true }
${tftp}steps:
  - task: backup
    params: { method: show }
${restoreStep}`,
  );
  const job = await loadJobFile(file);
  const { hosts } = await loadHosts(job.inventoryFiles, [], () => undefined);
  try {
    checkSteps(job, hosts, tasks);
    return undefined;
  } catch (error) {
    return error;
  }
}

const install = '  - task: restore\n    params: { to: last~1, apply: true }\n';

describe('a restore step that installs', () => {
  it('is refused at the step when the job has no tftp section, for every host, with a hint', async () => {
    const refused = await check('', install);
    expect(refused).toBeInstanceOf(ConfigInvalidError);
    expect(exitCodeFor(refused)).toBe(2);
    const issues = (refused as ConfigInvalidError).issues;
    expect(issues.map((i) => [i.pos.line, i.pos.col, i.path])).toEqual([
      [8, 5, 'steps[1]'],
      [8, 5, 'steps[1]'],
    ]);
    expect(issues[0]!.message).toBe(
      "r1: restore installs the config from netops' TFTP server, but the job gives no IPv4 address to tell r1 to fetch it from (it has no `tftp:` section, and the default listens on [::]:69)",
    );
    expect(issues[1]!.message).toContain('gives no IPv6 address to tell r2');
    expect(issues[0]!.hint).toContain('Add a `tftp:` section');
    // Each host's example names the family it lacks.
    expect(issues[0]!.hint).toContain('advertise: { ipv4: 192.0.2.10 }');
    expect(issues[1]!.hint).toContain("advertise: { ipv6: '2001:db8::10' }");
    const shown = formatError(refused);
    expect(shown).toContain('job.yaml:8:5 steps[1]: r1:');
    expect(shown).toContain('  - task: restore');
  });

  it('is refused at the tftp section when it names no address for the host, and only for that host', async () => {
    const refused = await check(
      'tftp: { listen: ["[::]:6969"], advertise: { ipv4: 192.0.2.100 } }\n',
      install,
    );
    const issues = (refused as ConfigInvalidError).issues;
    expect(issues.map((i) => [i.pos.line, i.path])).toEqual([[5, 'tftp']]);
    expect(issues[0]!.message).toMatch(
      /^r2: .* no IPv6 address .*neither advertises one nor listens on one specific address/,
    );
    expect(issues[0]!.hint).toContain('Set tftp.advertise.ipv6');
  });

  it('refuses a startup-config step the same way, naming the task', async () => {
    const step = '  - task: startup-config\n    params: { file: new.cfg }\n';
    const refused = await check('', step);
    expect(exitCodeFor(refused)).toBe(2);
    const issues = (refused as ConfigInvalidError).issues;
    expect(issues.map((i) => [i.pos.line, i.path])).toEqual([
      [8, 'steps[1]'],
      [8, 'steps[1]'],
    ]);
    expect(issues[0]!.message).toMatch(
      /^r1: startup-config installs the config from netops' TFTP server, but the job gives no IPv4 address/,
    );
    expect(await check('tftp: { listen: ["192.0.2.100:6969", "[2001:db8::100]:6969"] }\n', step)).toBe(
      undefined,
    );
  });

  it('passes when the server has an address for each host, and is not checked for a preview', async () => {
    expect(await check('tftp: { listen: ["192.0.2.100:6969", "[2001:db8::100]:6969"] }\n', install)).toBe(
      undefined,
    );
    expect(await check('', '  - task: restore\n    params: { to: last~1 }\n')).toBe(undefined);
  });
});
