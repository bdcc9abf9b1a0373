/**
 * startup-config through the built `netops` binary against the loopback lab, as an engineer runs
 * it: the Nexus rebuild ends OK with the installed config stored as the host's new baseline (the
 * store's shrink guard does not turn a verified install into a failure), a masked backup is refused
 * before anything is contacted, and IOS `configure replace` installs a config or, when the device
 * refuses a line, leaves the running-config as it was and says so.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';
import { ios } from '../../src/platforms/ios/index.js';
import { nxos } from '../../src/platforms/nxos/index.js';
import { compareConfigs, maskConfig } from '../../src/tasks/startup-config/compare.js';
import { renderConfig } from '../../src/tasks/startup-config/source.js';
import { startupConfigParams } from '../../src/tasks/startup-config/params.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useStartupLab } from '../helpers/startup-lab.js';

/** The store's keyed-hash placeholders read as the plain mask `maskConfig` gives the intended file. */
const plainMask = (text: string) => text.replace(/<secret:[0-9a-f]{6}>/g, '<removed>');

const t = useStartupLab({ devices: 3, platforms: ['nxos', 'ios', 'ios'], bootMs: 300 });
/** The example job's step (jobs/n7k-startup-config.yaml), with lab-sized time limits. */
const example = parse(
  readFileSync(new URL('../../jobs/n7k-startup-config.yaml', import.meta.url), 'utf8'),
) as {
  steps: { params: Record<string, unknown> }[];
};
const n7k = {
  ...example.steps[0]!.params,
  template: 'templates/n7k-core.liquid',
  timeouts: { boot: 20, copy: 60, unknownQuestion: 1 },
  logs: 'logs',
};

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
    // The example job gives the first-boot admin the password in NETOPS_PASSWORD.
    const result = await runNetops(['run', job, '--limit', 'r1', '--yes'], {
      cwd: t.dir,
      env: { NETOPS_PASSWORD: t.lab.spec.password },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('installed and verified; stored as the new baseline');

    // The committed copy is the installed config (masked as the store keeps it) ...
    const stored = plainMask(git('show', 'HEAD:configs/r1.cfg'));
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

  it('ios configure replace exits 0: running-config is the file, stored as the new baseline', async () => {
    const file = readFileSync(path.join(t.dir, 'fixtures', 'router.cfg'), 'utf8');
    const job = await t.job(
      'ios-replace',
      { file: 'fixtures/router.cfg', mode: 'replace' },
      { allowShrink: false },
    );
    const result = await netops(['run', job, '--limit', 'r2', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('installed and verified; stored as the new baseline');
    const d = t.device('r2').device;
    // Physical interfaces cannot be deleted: those the file leaves out stay, unconfigured.
    const running = compareConfigs(file, d.body(), ios.configRules);
    expect(running.missing).toEqual([]);
    expect(
      running.extra.filter((l) => !/^interface (GigabitEthernet|Ethernet)\S+( > no ip address)?$/.test(l)),
    ).toEqual([]);
    expect(d.log.map((e) => e.line)).toContain(
      'configure replace tftp://127.0.0.1/netops-r2.cfg force revert trigger error',
    );
    const stored = plainMask(git('show', 'HEAD:configs/r2.cfg'));
    expect(compareConfigs(maskConfig(file, ios.configRules), stored, ios.configRules).missing).toEqual([]);
  });
});

describe('ios configure replace that the device refuses', () => {
  it('leaves the running-config as it was and fails the host naming the refused line', async () => {
    const file = readFileSync(path.join(t.dir, 'fixtures', 'router.cfg'), 'utf8');
    // A line from another platform's config: IOS has no `vpc`.
    await writeFile(
      path.join(t.dir, 'fixtures', 'wrong-platform.cfg'),
      file.replace('\nend', '\nvpc domain 10\n peer-keepalive destination 192.0.2.2\n!\nend'),
    );
    const job = await t.job('ios-replace-refused', { file: 'fixtures/wrong-platform.cfg', mode: 'replace' });
    const d = t.device('r3').device;
    const [running, startup] = [d.body(), d.startup];

    const result = await netops(['run', job, '--limit', 'r3', '--yes', '--json']);
    expect(result.code).toBe(1);
    expect(d.body()).toBe(running);
    expect(d.startup).toBe(startup);
    const step = (JSON.parse(result.stdout) as RunRecord).hosts[0]!.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error).toMatchObject({
      code: 'COMMAND_REJECTED',
      message: expect.stringContaining(
        'r3 refused a line of the file and restored its previous running-config: "Failed to apply command vpc domain 10"',
      ),
      details: {
        stoppedAt: 'replace',
        pointOfNoReturnPassed: false,
        deviceState: 'unchanged: running-config and startup-config are as before the run',
      },
    });
    expect(step.error!.message).toContain('(the device undid it: unchanged)');
    expect(JSON.stringify(step.error)).not.toContain('partly or wholly replaced');
    // Nothing after the refused replace was sent: no save.
    expect(d.log.map((e) => e.line)).not.toContain('copy running-config startup-config');
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
      .flatMap((text, i) => (/<secret:[0-9a-f]{6}>/.test(text) ? [`store-r3/configs/r3.cfg:${i + 1}:`] : []));
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
