/**
 * `netops restore` through the built binary against the loopback lab, as an engineer runs it: a job
 * with `restore:` keeps encrypted unsanitized copies beside its store; a device changed since is put
 * back to an earlier revision (IOS by configure replace, NX-OS by the erase/reload/console rebuild)
 * after a masked diff, only with --yes; a revision stored before restore was enabled is refused
 * before anything is contacted; no secret and no key reaches the store, the records or the output.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ios } from '../../src/platforms/ios/index.js';
import { nxos } from '../../src/platforms/nxos/index.js';
import type { ConfigRules } from '../../src/store/rules.js';
import { compareConfigs } from '../../src/tasks/startup-config/compare.js';
import { runNetops, type CliResult } from '../helpers/netops-cli.js';
import { useStartupLab } from '../helpers/startup-lab.js';

const t = useStartupLab({ devices: 2, platforms: ['nxos', 'ios'], bootMs: 300 });
/** Every byte netops printed in this file, searched for secrets at the end. */
const printed: string[] = [];
const changedCommunity = 'S3cretChanged';

async function netops(args: string[]): Promise<CliResult> {
  const result = await runNetops(args, { cwd: t.dir });
  printed.push(result.stdout, result.stderr);
  return result;
}
const git = (...args: string[]) =>
  execFileSync('git', ['-C', path.join(t.dir, 'store'), ...args], { encoding: 'utf8' });
const head = () => git('rev-parse', 'HEAD').trim();

async function writeJob(name: string, restore: boolean, tftp = true): Promise<string> {
  const file = path.join(t.dir, `${name}.yaml`);
  await writeFile(
    file,
    `name: ${name}
inventory: inventory.yaml
timeouts: { step: 60s }
${tftp ? `tftp: { listen: ["127.0.0.1:${t.tftpPort}", "[::1]:${t.tftpPort}"], timeout: 8 }\n` : ''}store: { dir: store, allowShrink: true, author: { name: netops-test, email: test@example.net } }
${restore ? 'restore: { enabled: true }\n' : ''}steps:
  - task: backup
    params: { method: show }
`,
  );
  return file;
}

async function backup(job: string): Promise<string> {
  const result = await netops(['run', job]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return head();
}

/** `actual` has every line of `wanted` and nothing more than the interfaces a device cannot delete (any order). */
function expectSameConfig(wanted: string, actual: string, rules: ConfigRules): void {
  const compared = compareConfigs(wanted, actual, rules);
  expect(compared.missing).toEqual([]);
  expect(
    compared.extra.filter((l) => !/^interface (GigabitEthernet|Ethernet|mgmt)\S+( > .*)?$/.test(l)),
  ).toEqual([]);
}

const expectRunning = (host: string, wanted: string, rules: ConfigRules) =>
  expectSameConfig(wanted, t.device(host).device.body(), rules);

const records = () => readdirSync(path.join(t.dir, 'runs')).filter((f) => f.endsWith('.json'));

let plain = '';
let job = '';
let sanitizedOnly = '';

describe('a revision without an unsanitized copy', () => {
  it('is refused before anything is contacted, naming why', async () => {
    plain = await writeJob('plain', false);
    job = await writeJob('nightly', true);
    sanitizedOnly = await backup(plain);
    const recordsBefore = records();
    const commands = t.device('r2').device.log.length;

    const refused = await netops(['restore', 'r2', '--job', job, '--to', sanitizedOnly, '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`netops: NOT_RESTORABLE: r2: revision ${sanitizedOnly.slice(0, 12)}`);
    expect(refused.stderr).toContain('is sanitized only');
    expect(refused.stderr).toContain(
      'hint: Only backups taken while the job had `restore:` enabled can be restored',
    );

    const noVault = await netops(['restore', 'r2', '--job', plain, '--to', sanitizedOnly, '--plan']);
    expect(noVault.code).toBe(2);
    expect(noVault.stderr).toContain('the job keeps no unsanitized configs (no `restore:` section)');

    const badRevision = await netops(['restore', 'r2', '--job', job, '--to', 'not a revision']);
    expect(badRevision.code).toBe(2);
    expect(badRevision.stderr).toContain('CONFIG_INVALID');
    // Nothing ran: no record, no command reached the device.
    expect(records()).toEqual(recordsBefore);
    expect(t.device('r2').device.log.length).toBe(commands);
  });

  it('is refused before anything is contacted when the job gives no TFTP server address to install from', async () => {
    const noTftp = await writeJob('no-tftp', true, false);
    const kept = await backup(noTftp);
    const recordsBefore = records();
    const commands = t.device('r2').device.log.length;

    const refused = await netops(['restore', 'r2', '--job', noTftp, '--to', kept, '--yes']);
    expect(refused.code).toBe(2);
    // At the job's `restore:` section (line 5): the step `netops restore` runs is not in the file.
    expect(refused.stderr).toMatch(
      /no-tftp\.yaml:5:\d+ restore: r2: restore installs the config from netops' TFTP server, but the job gives no IPv4 address to tell r2/,
    );
    expect(refused.stderr).toContain('hint: Add a `tftp:` section');
    expect(records()).toEqual(recordsBefore);
    expect(t.device('r2').device.log.length).toBe(commands);
  });
});

describe.each([
  {
    host: 'r2',
    platform: 'ios',
    rules: ios.configRules!,
    community: `snmp-server community ${changedCommunity} RO`,
  },
  {
    host: 'r1',
    platform: 'nxos',
    rules: nxos.configRules!,
    community: `snmp-server community ${changedCommunity} group network-operator`,
  },
])('restore $host ($platform) to a previous revision', ({ host, rules, community }) => {
  it('shows the masked diff, changes nothing without --yes, and with --yes runs that config again', async () => {
    const wanted = t.device(host).device.body();
    const good = await backup(job);
    t.device(host).device.merge(`ntp server 192.0.2.77\n${community}\n`, 'test');
    const changed = await backup(job);
    expect(changed).not.toBe(good);
    const before = t.device(host).device.body();

    const plan = await netops(['restore', host, '--job', job, '--to', good, '--plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`--- ${host} running-config (now)`);
    expect(plan.stdout).toContain(`+++ configs/${host}.cfg at ${good.slice(0, 12)}`);
    expect(plan.stdout).toContain('-ntp server 192.0.2.77');
    expect(plan.stdout).toMatch(/^-snmp-server community <[^>]+> /m);
    expect(plan.stdout).toMatch(
      new RegExp(`${host}  ok  restore: would restore the config of ${good.slice(0, 12)}`),
    );
    expectRunning(host, before, rules);

    const unconfirmed = await netops(['restore', host, '--job', job, '--to', good]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`netops: CONFIRM_REQUIRED: ${host}: not restored`);
    expectRunning(host, before, rules);

    const restored = await netops(['restore', host, '--job', job, '--to', good, '--yes']);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.stdout).toContain(
      `${host}  changed  restore: restored the config of ${good.slice(0, 12)}`,
    );
    expect(restored.stdout).toContain('installed the config of the revision');
    expectRunning(host, wanted, rules);
    expect(t.device(host).device.body()).not.toContain('ntp server 192.0.2.77');
    // The restored config is the host's stored baseline again (the simulator sorts and indents its own way).
    expect(git('log', '-1', '--format=%s')).toMatch(/1 changed/);
    expectSameConfig(
      git('show', `${good}:configs/${host}.cfg`),
      git('show', `HEAD:configs/${host}.cfg`),
      rules,
    );
  });
});

describe('what stays secret', () => {
  it('no secret value and no key in the store, its history, the records or the output', () => {
    const stateDir = path.join(t.dir, 'state');
    const keys = readdirSync(path.join(stateDir, 'vault-keys')).map((f) =>
      readFileSync(path.join(stateDir, 'vault-keys', f), 'utf8').trim(),
    );
    expect(keys).toHaveLength(1);
    const secrets = [changedCommunity, `community ${t.lab.spec.writeCommunity} `, ...keys];
    const places = {
      output: printed.join('\n'),
      history: git('log', '-p', '--all', '--format=%H %s%n%b'),
      worktree: readdirSync(path.join(t.dir, 'store', 'configs'))
        .map((f) => readFileSync(path.join(t.dir, 'store', 'configs', f), 'utf8'))
        .join('\n'),
      records: records()
        .map((f) => readFileSync(path.join(t.dir, 'runs', f), 'utf8'))
        .join('\n'),
      vault: readdirSync(path.join(t.dir, 'store.vault'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.enc'))
        .map((f) => readFileSync(path.join(t.dir, 'store.vault', f), 'latin1'))
        .join('\n'),
    };
    for (const [place, text] of Object.entries(places)) {
      expect(text.length, place).toBeGreaterThan(0);
      for (const secret of secrets)
        expect(text.includes(secret), `${place} holds ${secret.slice(0, 8)}...`).toBe(false);
    }
    // The clear config the workflow served was a temporary file, gone; its folder is private.
    const logs = path.join(stateDir, 'restore-logs');
    expect(statSync(logs).mode & 0o777).toBe(0o700);
    expect(
      readdirSync(logs, { recursive: true })
        .map(String)
        .filter((f) => /^r\d-[^/]+\/r\d\.cfg$/.test(f)),
    ).toEqual([]);
    // The vault and its key sit outside the store: git never saw them.
    expect(git('ls-files')).not.toMatch(/vault|\.enc|\.key/);
  });
});
