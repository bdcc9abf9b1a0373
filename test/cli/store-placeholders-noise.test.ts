/**
 * Issue 17 items 3 and 4 through the built `netops` against the loopback lab, as cron runs it:
 * keyed-hash placeholders show that an SNMP community changed without showing either value (the
 * first run after switching from `<removed>` says why every masked line changed), no secret and
 * not the key reaches the store, the output, the run records or the explanations; a noise rule
 * removes a line and `netops store explain` names it; a bad rule stops the run before any device.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops, type CliResult } from '../helpers/netops-cli.js';
import { filesUnder, plantedSecrets, sweep, type Secret } from '../reliability/secret-sweep.js';

const spec = {
  password: 'Pl41n-Lab-Passw0rd',
  enableSecret: 'En4ble-Lab-S3cret',
  readCommunity: 'R0-Lab-Community',
  writeCommunity: 'Rw-Lab-Community',
};
const newCommunity = 'R0-Rotated-Community';
const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false, ...spec });
const store = () => path.join(t.dir, 'store');
const git = (...args: string[]) => execFileSync('git', ['-C', store(), ...args], { encoding: 'utf8' });
const outputs: string[] = [];

const job = (placeholders: string, noise = '') =>
  `name: nightly
inventory: inventory.yaml
records: records
limit: [r1, r2]
store:
  dir: store
  placeholders: ${placeholders}
  noise:
    ignore: [{ name: location, match: '^snmp-server location ' }]
    groups:
      nxos: { normalize: [{ name: contact, match: '^(snmp-server contact) \\S+', replace: '$1 NOC' }] }
${noise}steps:
  - task: backup
    params: { method: show }
`;

async function netops(args: string[]): Promise<CliResult> {
  const result = await runNetops(args, { cwd: t.dir, env: t.env });
  outputs.push(result.stdout, result.stderr);
  return result;
}

async function backup(placeholders: string): Promise<void> {
  await writeFile(path.join(t.dir, 'job.yaml'), job(placeholders));
  const result = await netops(['run', 'job.yaml']);
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

const stored = (host: string) => readFileSync(path.join(store(), 'configs', `${host}.cfg`), 'utf8');
/** The first community line with this access (the lab's own community), or the last one (one appended since). */
const communityLine = (text: string, suffix: string, which: 'first' | 'last' = 'first') => {
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('snmp-server community ') && line.endsWith(suffix));
  return which === 'first' ? lines[0] : lines.at(-1);
};

describe('keyed-hash placeholders through the CLI', () => {
  it('replace <removed> on the first run after the switch, and the commit says why', async () => {
    await backup('removed');
    expect(stored('r1')).toContain('snmp-server community <removed> RO');
    await backup('keyed');
    for (const host of ['r1', 'r2']) {
      expect(stored(host)).toMatch(/^snmp-server community <secret:[0-9a-f]{6}> /m);
      expect(stored(host)).not.toContain('<removed>');
    }
    expect(git('log', '-1', '--format=%B')).toMatch(
      /^r1: config changed \(via show\); secret placeholders are now keyed hashes \(<secret:\.\.\.>\): every masked line changes once, whether or not its secret changed$/m,
    );
  });

  it('show a changed community as a changed placeholder; an unchanged secret keeps its placeholder', async () => {
    const before = { ro: communityLine(stored('r1'), ' RO')!, rw: communityLine(stored('r1'), ' RW')! };
    const host = stored('r1')
      .split('\n')
      .find((line) => line.startsWith('snmp-server host '))!;
    // The same secret gives the same placeholder, on any line: the trap host uses the RO community.
    expect(host).toContain(before.ro.split(' ')[2]);
    const r1 = t.lab.devices.find((d) => d.name === 'r1')!.device;
    r1.merge(
      `no snmp-server community ${spec.readCommunity}\nsnmp-server community ${newCommunity} RO\n`,
      'test',
    );
    await backup('keyed');

    const diff = git('show', 'HEAD', '--format=', '--', 'configs/r1.cfg');
    const changed = diff.split('\n').filter((line) => /^[-+][^-+]/.test(line));
    const after = communityLine(stored('r1'), ' RO', 'last')!;
    expect(after).toMatch(/^snmp-server community <secret:[0-9a-f]{6}> RO$/);
    expect(after).not.toBe(before.ro);
    // The simulator appends the new community line at the end of its config; nothing else changed.
    expect(changed.filter((line) => line !== '+!' && line !== '-!')).toEqual([`-${before.ro}`, `+${after}`]);
    expect(communityLine(stored('r1'), ' RW')).toBe(before.rw);
    expect(git('show', 'HEAD', '--stat', '--format=%s')).toMatch(
      /^netops nightly: 1 changed, 0 failed, 1 unchanged/,
    );
  });

  it('leave no secret and not the key in the store, the output, the records or the explanations', async () => {
    const stateStores = path.join(t.env['NETOPS_STATE_DIR']!, 'stores');
    const [id] = readdirSync(stateStores);
    const key = readFileSync(path.join(stateStores, id!, 'placeholder.key'), 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const objects = execFileSync('git', ['-C', store(), 'cat-file', '--batch-all-objects', '--batch'], {
      encoding: 'latin1',
      maxBuffer: 64 * 1024 * 1024,
    });
    const explanations = path.join(stateStores, id!, 'explain');
    expect(readFileSync(path.join(explanations, 'r1.json'), 'utf8')).toContain('<secret:');
    const secrets: Secret[] = [
      ...Object.entries({ ...spec, newCommunity }).map(([label, value]) => ({ label, value })),
      { label: 'placeholder key (hex)', value: key },
      { label: 'placeholder key (base64)', value: Buffer.from(key, 'hex').toString('base64') },
      ...t.lab.devices.flatMap((d) => plantedSecrets(d.name, d.device.body())),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(12);
    const records = await filesUnder(path.join(t.dir, 'records'));
    // The records hold the stored diffs: the sweep reads placeholders where secrets were.
    expect(records.map((file) => readFileSync(file, 'utf8')).join('\n')).toContain('<secret:');
    const hits = await sweep(secrets, {
      files: [...(await filesUnder(store(), ['.git'])), ...records, ...(await filesUnder(explanations))],
      texts: { 'git objects': objects, 'stdout and stderr': outputs.join('\n') },
    });
    expect(hits).toEqual([]);
  });
});

describe('noise rules through the CLI', () => {
  it('remove a line before compare and store, and store explain names the rule and the line', async () => {
    expect(t.lab.devices[0]!.device.body()).toContain('snmp-server location Lab rack 1');
    expect(stored('r1')).not.toContain('snmp-server location');
    expect(stored('r2')).toMatch(/^snmp-server contact NOC$/m);

    const text = await netops(['store', 'explain', 'r1', '--job', 'job.yaml']);
    expect(text.code, text.stderr).toBe(0);
    // The header adds up to the stored file: received less the lines the rules dropped and the blank
    // lines trimmed around the config.
    const header =
      /^r1: configs\/r1\.cfg, backup of \S+ \(platform ios\): (\d+) lines received, (\d+) dropped(?:, (\d+) blank lines? trimmed at the start or end)?$/m.exec(
        text.stdout,
      );
    expect(header, text.stdout).not.toBeNull();
    const [, received, dropped, trimmed = '0'] = header as RegExpExecArray;
    expect(Number(received) - Number(dropped) - Number(trimmed)).toBe(stored('r1').split('\n').length - 1);
    expect(text.stdout).toMatch(
      /^ {2}line \d+ dropped by ignore rule "location" \(store\.noise\.ignore\[0\]\) \/\^snmp-server location \/\n {6}snmp-server location Lab rack 1$/m,
    );
    expect(text.stdout).toMatch(
      /^ {2}line \d+ \(stored line \d+\) masked by secret rule "snmp community" of platform ios$/m,
    );
    expect(text.stdout).not.toContain('note:');

    const json = await netops(['store', 'explain', 'r2', '--store', 'store', '--json']);
    const explained = JSON.parse(json.stdout) as {
      current: boolean;
      changes: Array<Record<string, unknown>>;
    };
    expect(explained.current).toBe(true);
    expect(explained.changes).toContainEqual(
      expect.objectContaining({
        action: 'normalized',
        rule: {
          kind: 'normalize',
          name: '"contact" (store.noise.groups.nxos.normalize[0])',
          pattern: '^(snmp-server contact) \\S+',
        },
        before: 'snmp-server contact noc@lab.example',
        text: 'snmp-server contact NOC',
      }),
    );
  });

  it('store explain of a host never backed up says what to do, exit 2', async () => {
    const result = await netops(['store', 'explain', 'r9', '--store', 'store']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no backup of r9 in the store ${store()} has been explained`);
    expect(result.stderr).toMatch(/hint: Run the backup job once/);
  });

  it('a bad rule stops the run with its position and the regular expression named, before any device', async () => {
    await writeFile(
      path.join(t.dir, 'bad.yaml'),
      job('keyed').replace("match: '^snmp-server location '", "match: '^snmp-server (location'"),
    );
    const logins = () => t.lab.devices.reduce((n, d) => n + d.device.log.length, 0);
    const before = logins();
    const result = await netops(['run', 'bad.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'bad.yaml:9:39 store.noise.ignore[0].match: invalid regular expression /^snmp-server (location/: Unterminated group',
    );
    expect(logins()).toBe(before);
  });
});
