/**
 * startup-config on simulated IOS (the IPsec VPN template filled from inventory data), `--plan`
 * (nothing contacted, the point of no return shown), the refusal without --yes, and rendering.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCommand } from '../../src/cli/actions/render.js';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';
import { formatPlan } from '../../src/cli/plan.js';
import { ios } from '../../src/platforms/ios/index.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { tasks } from '../../src/tasks/registry.js';
import { compareConfigs } from '../../src/tasks/startup-config/compare.js';
import { startupConfigParams } from '../../src/tasks/startup-config/params.js';
import { planStartupConfig, pointOfNoReturnBanner } from '../../src/tasks/startup-config/plan.js';
import { renderConfig } from '../../src/tasks/startup-config/source.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useStartupLab } from '../helpers/startup-lab.js';
import { hostData, vpnPsk } from './startup-config-lab.js';

const t = useStartupLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 300 });
const vpn = { template: 'templates/ipsec-vpn.liquid', secrets: { psk: { env: 'VPN_PSK' } } };

const stepOf = (record: RunRecord) => record.hosts[0]!.steps[0]!;

async function hostsOf(job: string, limit: string) {
  const loaded = await loadJobFile(job);
  return { job: loaded, hosts: (await loadHosts(loaded.inventoryFiles, [limit], () => undefined)).hosts };
}

describe('ios startup-config', () => {
  it('installs the rendered IPsec VPN template: the startup-config equals it, secrets included', async () => {
    const job = await t.job('branch-vpn', vpn);
    const record = await t.run(job, 'r1');
    expect(stepOf(record).status, JSON.stringify(stepOf(record).error)).toBe('changed');
    const startup = t.device('r1').device.startup ?? '';
    expect(startup).toContain(`crypto isakmp key ${vpnPsk} address ${hostData.vpn.peer}`);
    expect(startup).toContain(' permit ip 10.1.0.0 0.0.255.255 10.200.0.0 0.0.255.255');
    const { hosts } = await hostsOf(job, 'r1');
    const want = renderConfig(hosts[0]!, startupConfigParams.parse(vpn), t.dir, { psk: vpnPsk }).text;
    expect(startup).toBe(want);
    // The file was served to r1 only and fetched by the device; the run record holds no secret.
    expect(t.device('r1').device.log.map((e) => e.line)).toContain(
      `copy tftp://127.0.0.1/netops-r1.cfg startup-config`,
    );
    expect(JSON.stringify(record)).not.toContain(vpnPsk);
  });

  it('reloads when asked and comes back running the new config', async () => {
    const params = { file: 'fixtures/router.cfg', reload: true, timeouts: { boot: 20 } };
    const record = await t.run(await t.job('edge-reload', params), 'r1-v6');
    expect(stepOf(record).status, JSON.stringify(stepOf(record).error)).toBe('changed');
    const d = t.device('r1').device;
    const file = await readFile(path.join(t.dir, 'fixtures', 'router.cfg'), 'utf8');
    // ntp clock-period is volatile on IOS: the platform's store rules drop it.
    expect(compareConfigs(file, d.body(), ios.configRules)).toEqual({ missing: [], extra: [] });
    expect(d.log.filter((e) => e.line === '<reload confirmed>').map((e) => e.via)).toEqual(['ssh']);
  });

  it('names the variable and the host when the template needs a value the host lacks', async () => {
    const { hosts } = await hostsOf(await t.job('vpn-missing', vpn), 'r2');
    const host = { ...hosts[0]!, data: { ...hosts[0]!.data, vpn: { ...hostData.vpn, peer: undefined } } };
    expect(() => renderConfig(host, startupConfigParams.parse(vpn), t.dir)).toThrow(
      /variable "data\.vpn\.peer" is not defined for host r2/,
    );
  });
});

describe('--plan and confirmation', () => {
  it('refuses configure replace with a config that does not end in "end", in the plan and the run', async () => {
    await writeFile(path.join(t.dir, 'fixtures', 'partial.cfg'), 'hostname edge2\n');
    const params = { file: 'fixtures/partial.cfg', mode: 'replace' };
    const file = await t.job('replace-partial', params);
    const { job, hosts } = await hostsOf(file, 'r1');
    expect(planStartupConfig(hosts[0]!, startupConfigParams.parse(params), job)[0]).toMatch(
      /cannot plan r1: .*configure replace needs a complete config ending in "end"/,
    );
    const before = t.device('r1').device.log.length;
    const error = stepOf(await t.run(file, 'r1')).error!;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(t.device('r1').device.log.length).toBe(before);
  });

  it('plans every command with the point of no return and contacts nothing', async () => {
    const job = await t.job('n7k-plan', { template: 'fixtures/n7k.liquid', vars: { core: 'core1' } });
    const before = t.device('r2').device.log.length;
    const { job: loaded, hosts } = await hostsOf(job, 'r2');
    const plan = formatPlan(loaded, hosts, tasks);
    expect(plan).toContain('[destructive]');
    const lines = planStartupConfig(hosts[0]!, startupConfigParams.parse(loaded.steps[0]!.params), loaded);
    const banner = lines.indexOf(pointOfNoReturnBanner);
    expect(lines.slice(banner - 3, banner + 3).join('\n')).toMatch(
      /write erase[\s\S]*\(y\/n\) {2}\[n\] {2}-> y[\s\S]*POINT OF NO RETURN[\s\S]*reload/,
    );
    expect(lines.join('\n')).toContain('> copy bootflash:netops-r2.cfg running-config');
    expect(lines.join('\n')).toMatch(/diff: no stored backup of r2/);
    // The test job allows 60s per step; the default boot limit alone is 900s.
    expect(lines[1]).toMatch(
      /WARNING: the job's step time limit \(60s\) is shorter .*timeouts: \{ step: 45m \}/,
    );
    expect(t.device('r2').device.log.length).toBe(before);
  });

  it('diffs against the last stored backup, with secrets masked', async () => {
    await mkdir(path.join(t.dir, 'store', 'configs'), { recursive: true });
    await writeFile(
      path.join(t.dir, 'store', 'configs', 'r1.cfg'),
      'hostname r1\ncrypto isakmp key OLD-KEY address 203.0.113.9\n',
    );
    const { job, hosts } = await hostsOf(await t.job('vpn-plan', vpn), 'r1');
    const plan = planStartupConfig(hosts[0]!, startupConfigParams.parse(vpn), job).join('\n');
    expect(plan).toMatch(/diff against the last stored backup .*configs\/r1\.cfg/);
    expect(plan).toContain('+crypto map PROVIDER-VPN 10 ipsec-isakmp');
    expect(plan).not.toContain('OLD-KEY');
    expect(plan).not.toContain(vpnPsk);
  });

  it('refuses to run without --yes, exit 2 with a hint, and runs nothing', async () => {
    const before = t.device('r2').device.log.length;
    const job = await t.job('n7k-unconfirmed', { template: 'fixtures/n7k.liquid', vars: { core: 'core1' } });
    const result = await runNetops(['run', job, '--limit', 'r2'], { cwd: t.dir, env: { ...process.env } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CONFIRM_REQUIRED[\s\S]*hint: .*--plan.*--yes/);
    const plan = await runNetops(['run', job, '--limit', 'r2', '--plan'], { cwd: t.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(pointOfNoReturnBanner);
    expect(t.device('r2').device.log.length).toBe(before);
  });

  it('renders a host config with secrets as placeholders', async () => {
    const text = await renderCommand(await t.job('vpn-render', vpn), { limit: ['r1'] });
    expect(text).toContain(`crypto isakmp key <secret:psk> address ${hostData.vpn.peer}`);
    expect(text).toContain('interface GigabitEthernet0/1\n description outside, to ExampleNet');
  });
});
