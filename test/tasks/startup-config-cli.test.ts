/**
 * startup-config through the built `netops` binary against the loopback lab, as an engineer runs
 * it: the Nexus rebuild ends OK with the installed config stored as the host's new baseline (the
 * store's shrink guard does not turn a verified install into a failure), a masked backup is refused
 * before anything is contacted, and IOS `configure replace` installs a config or, when the device
 * refuses a line, leaves the running-config as it was and says so.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';
import { nxos } from '../../src/platforms/nxos.js';
import { compareConfigs, maskConfig } from '../../src/tasks/startup-config/compare.js';
import { renderConfig } from '../../src/tasks/startup-config/source.js';
import { startupConfigParams } from '../../src/tasks/startup-config/params.js';
import { runNetops } from '../helpers/netops-cli.js';
import { startStartupLab, type StartupLab } from './startup-config-lab.js';

let t: StartupLab;
const n7k = {
  template: 'fixtures/n7k.liquid',
  vars: { core: 'core1' },
  timeouts: { boot: 20, unknownQuestion: 1 },
  logs: 'logs',
};

beforeAll(async () => {
  t = await startStartupLab({ devices: 3, platforms: ['nxos', 'ios', 'ios'], bootMs: 300 });
});
afterAll(async () => {
  await t.lab.close();
  await rm(t.dir, { recursive: true, force: true });
});

const netops = (args: string[]) => runNetops(args, { cwd: t.dir });
const git = (...args: string[]) =>
  execFileSync('git', ['-C', path.join(t.dir, 'store'), ...args], { encoding: 'utf8' });

async function intended(job: string, host: string): Promise<string> {
  const loaded = await loadJobFile(job);
  const { hosts } = await loadHosts(loaded.inventoryFiles, [host], () => undefined);
  const params = startupConfigParams.parse(loaded.steps[0]!.params);
  return renderConfig(hosts[0]!, params, t.dir).text;
}

describe('a verified install is the new baseline', () => {
  it('n7k: write erase + reload exits 0 and the store holds the installed config', async () => {
    const job = await t.job('n7k-baseline', n7k, { allowShrink: false });
    const result = await netops(['run', job, '--limit', 'r1', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('installed and verified; stored as the new baseline');

    // The committed copy is the installed config (masked as the store keeps it) ...
    const stored = git('show', 'HEAD:configs/r1.cfg');
    const want = maskConfig(await intended(job, 'r1'), nxos.configRules);
    expect(compareConfigs(want, stored, nxos.configRules).missing).toEqual([]);
    expect(git('log', '-1', '--format=%B')).toContain(
      'r1: installed by startup-config and verified; stored as the new baseline',
    );
    // ... although it is far smaller than the config it replaced: the shrink guard was not the check.
    const before = readdirSync(path.join(t.dir, 'logs')).find((f) => f.endsWith('.before.cfg'))!;
    const beforeBytes = readFileSync(path.join(t.dir, 'logs', before)).length;
    expect(Buffer.byteLength(stored)).toBeLessThan(beforeBytes / 2);
    expect(readdirSync(path.join(t.dir, 'store'))).not.toContain('rejected');
  });
});

describe('a masked backup is never installed', () => {
  /** A backup of r3 as the store keeps it: its secrets are placeholders. */
  async function maskedBackup(): Promise<string> {
    const job = path.join(t.dir, 'backup-r3.yaml');
    await writeFile(
      job,
      `inventory: inventory.yaml
store: { dir: store-r3 }
steps:
  - task: backup
    params: { method: show }
`,
    );
    const result = await netops(['run', job, '--limit', 'r3', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return readFileSync(path.join(t.dir, 'store-r3', 'configs', 'r3.cfg'), 'utf8');
  }

  it('refuses the stored file in --plan and in the run, naming each line, exit 2, nothing sent', async () => {
    const stored = await maskedBackup();
    const lines = stored
      .split('\n')
      .flatMap((text, i) => (text.includes('<removed>') ? [`store-r3/configs/r3.cfg:${i + 1}:`] : []));
    expect(lines.length).toBeGreaterThan(0);
    const job = await t.job('restore-masked', { file: 'store-r3/configs/r3.cfg' });
    const d = t.device('r3').device;
    const before = d.log.length;

    for (const flags of [['--plan'], ['--yes']]) {
      const result = await netops(['run', job, '--limit', 'r3', ...flags]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toMatch(
        /CONFIG_INVALID: r3: store-r3\/configs\/r3\.cfg holds \d+ secret placeholder/,
      );
      for (const line of lines) expect(result.stderr).toContain(line);
      expect(result.stdout).not.toContain('POINT OF NO RETURN');
    }
    expect(d.log.slice(before)).toEqual([]);
  });

  it('refuses a template that renders a placeholder, naming the rendered line', async () => {
    await writeFile(
      path.join(t.dir, 'fixtures', 'community.liquid'),
      'hostname {{ host.name }}\nsnmp-server community {{ vars.community }} RO\nend\n',
    );
    const job = await t.job('template-masked', {
      template: 'fixtures/community.liquid',
      vars: { community: '<removed>' },
    });
    const d = t.device('r3').device;
    const before = d.log.length;
    const result = await netops(['run', job, '--limit', 'r3', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'fixtures/community.liquid (rendered for r3):2: snmp-server community <removed> RO',
    );
    expect(d.log.slice(before)).toEqual([]);
  });
});
