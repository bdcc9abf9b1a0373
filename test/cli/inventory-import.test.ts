/**
 * `netops inventory import` as a user runs it: the inventory written where asked (and loadable),
 * what could not be mapped on stderr with its source line and in the file above the host, exit 1
 * when there were problems and 0 when none, exit 2 for a bad flag, option or file.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/fixture.js';
import { useNetboxServer } from '../helpers/netbox-server.js';
import { runNetops } from '../helpers/netops-cli.js';

const dir = useTempDir('netops-import-cli-');
const token = '40aa2d6b2f73d5a0a1b1c6e4a6e4f3b2c1d0e9f8';
const netbox = useNetboxServer({
  token,
  devices: [
    {
      id: 1,
      name: 'core1',
      site: 'dc1',
      role: 'core',
      platform: 'cisco-ios',
      ip4: '198.18.0.1/24',
      tags: ['backup'],
    },
    { id: 2, name: 'core2', site: 'dc1', role: 'core', platform: 'cisco-ios', ip4: '198.18.0.2/24' },
    {
      id: 3,
      name: 'edge1',
      site: 'dc2',
      role: 'edge',
      platform: 'cisco-ios',
      ip4: '198.18.1.1/24',
      tags: ['backup'],
    },
  ],
});

const netops = (args: string[], env: Record<string, string> = {}) => runNetops(args, { cwd: dir, env });

describe('netops inventory import', () => {
  it('writes an inventory that loads, secrets moved into 0600 files beside it, and exits 0', async () => {
    await writeFile(
      path.join(dir, 'oxidized.db'),
      'r1:198.18.0.1:ios:netops:S3cret\nr2:[2001:db8::2]:nxos:netops:S3cret\n',
    );
    const result = await netops([
      'inventory',
      'import',
      '--from',
      'oxidized-csv',
      'oxidized.db',
      '--out',
      'inventory/imported.yaml',
      '--secrets-dir',
      'inventory/secrets',
      '--option',
      'map=name=0,ip=1,model=2,username=3,password=4',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('wrote inventory/imported.yaml: 2 hosts, 0 groups, 0 problems\n');
    const text = await readFile(path.join(dir, 'inventory', 'imported.yaml'), 'utf8');
    expect(text).toContain('  # oxidized.db:1\n  r1: { address: 198.18.0.1, platform: ios');
    expect(text).toContain('password: { file: secrets/netops.password }');
    expect(text).not.toContain('S3cret');
    const mode = (await stat(path.join(dir, 'inventory', 'secrets', 'netops.password'))).mode & 0o777;
    expect(mode).toBe(0o600);
    const listed = await netops(['inventory', 'list', '-i', 'inventory/imported.yaml']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^r2 +2001:db8::2 +- +nxos /m);
  });

  it('lists what it could not map with the source line, writes it above the host, and exits 1', async () => {
    await writeFile(path.join(dir, 'router.db'), '# core\n198.18.0.1;cisco;up\n198.18.0.2;juniper;up\n');
    const result = await netops(['inventory', 'import', '--from', 'rancid', 'router.db']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'warning: import: router.db:3: device type "juniper" of 198.18.0.2 has no netops platform; imported without one\n' +
        '  hint: Map it with --platform-map juniper=PLATFORM',
    );
    expect(result.stdout).toMatch(
      / {2}# router\.db:3\n {2}# problem \(router\.db:3\): device type "juniper" .*\n {2}# {3}hint: .*\n {2}198\.18\.0\.2: \{ address: 198\.18\.0\.2,/,
    );
    const mapped = await netops([
      'inventory',
      'import',
      '--from',
      'rancid',
      'router.db',
      '--platform-map',
      'juniper=frr',
    ]);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.stdout).toContain('198.18.0.2: { address: 198.18.0.2, platform: frr,');
  });

  it("lists a job's inventory with its import sources, positions on the lines the import prints", async () => {
    await writeFile(path.join(dir, 'router.db'), '# core\n198.18.0.1;cisco;up\n198.18.0.2;juniper;up\n');
    await writeFile(path.join(dir, 'common.yaml'), 'credentials:\n  rancid: { username: netops }\n');
    await writeFile(
      path.join(dir, 'job.yaml'),
      'inventory: [common.yaml, { from: rancid, path: router.db, platformMap: { juniper: frr } }]\nsteps:\n  - task: reachable\n',
    );
    const listed = await netops([
      'inventory',
      'list',
      '--job',
      'job.yaml',
      '--limit',
      '198.18.0.2',
      '--show-origin',
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    const [, line] =
      /^ {2}platform = "frr" {3}\(host <import rancid router\.db>:(\d+)\)$/m.exec(listed.stdout) ?? [];
    const printed = await netops([
      'inventory',
      'import',
      '--from',
      'rancid',
      'router.db',
      '--platform-map',
      'juniper=frr',
    ]);
    expect(printed.stdout.split('\n')[Number(line) - 1]).toMatch(
      /^ {2}198\.18\.0\.2: \{ address: 198\.18\.0\.2, platform: frr,/,
    );
    const checked = await netops(['inventory', 'check', '--job', 'job.yaml']);
    expect(checked.stdout).toBe('common.yaml, <import rancid router.db>: ok, 2 hosts\n');
  });

  it('reads NetBox with the token from NETBOX_TOKEN and the filters given as flags', async () => {
    netbox.requests.length = 0;
    const result = await netops(
      [
        'inventory',
        'import',
        '--from',
        'netbox',
        netbox.url,
        '--site',
        'dc1',
        '--site',
        'dc2',
        '--tag',
        'backup',
      ],
      { NETBOX_TOKEN: token },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}core1: \{ address: 198\.18\.0\.1, platform: ios,/m);
    expect(result.stdout).toMatch(/^ {2}edge1: /m);
    expect(result.stdout).not.toContain('core2');
    expect(netbox.requests).toHaveLength(1);
    expect(netbox.requests[0]?.headers.authorization).toBe(`Token ${token}`);
    expect(netbox.requests[0]?.query.getAll('site')).toEqual(['dc1', 'dc2']);
    expect(netbox.requests[0]?.query.getAll('tag')).toEqual(['backup']);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('refuses an unknown source, an unknown option and a missing file with exit 2', async () => {
    const unknown = await netops(['inventory', 'import', '--from', 'librenms', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown import source "librenms"; known: rancid, ansible, oxidized-csv, netbox',
    );
    const option = await netops(['inventory', 'import', '--from', 'rancid', 'router.db', '--site', 'dc1']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain(
      'rancid: unknown option "site"; known: platformMap, group, cloginrc, secretsDir',
    );
    const missing = await netops(['inventory', 'import', '--from', 'ansible', 'nowhere.ini']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.ini: no such file');
  });
});
