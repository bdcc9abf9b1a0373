/**
 * A job whose inventory is an import source backs up the lab: one job per source (RANCID router.db,
 * Ansible INI, Oxidized CSV, NetBox), each listing the source beside a small inventory file that gives what the source lacks
 * (port, credentials). The source is read again on every run: a host taken out of it between two
 * runs is not backed up by the second.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBackupLab } from '../helpers/labs.js';
import { useNetboxServer } from '../helpers/netbox-server.js';
import { runNetops } from '../helpers/netops-cli.js';

const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200 });
const token = 'nbt_abcdefghijkl.0123456789abcdefghijklmnopqrstuvwxyzABCD';

/** r1 (ios) on both loopback addresses, at its SSH port: what each source describes. */
const netbox = useNetboxServer({
  token,
  devices: [
    {
      id: 11,
      name: 'nb-r1',
      site: 'lab',
      role: 'core',
      platform: 'cisco-ios',
      ip4: '127.0.0.1/8',
      tags: ['backup'],
    },
    {
      id: 12,
      name: 'nb-r1-v6',
      site: 'lab',
      role: 'core',
      platform: 'cisco-ios',
      ip6: '::1/128',
      tags: ['backup'],
    },
    {
      id: 13,
      name: 'nb-retired',
      site: 'lab',
      role: 'core',
      platform: 'cisco-ios',
      ip4: '127.0.0.1/8',
      status: 'offline',
      tags: ['backup'],
    },
    { id: 14, name: 'nb-other', site: 'lab', role: 'edge', platform: 'cisco-ios', ip4: '127.0.0.1/8' },
  ],
});

/** What every source lacks: the lab's SSH port of r1, its credentials (RANCID's set is `rancid`), trust on first use. */
async function common(): Promise<void> {
  const r1 = t.lab.devices[0]!;
  const login =
    '{ username: admin, password: { env: NETOPS_LAB_PASSWORD }, enable: { env: NETOPS_LAB_ENABLE } }';
  await writeFile(
    path.join(t.dir, 'common.yaml'),
    `defaults: { port: ${r1.ports.ssh}, credentials: lab, ssh: { trustNewHostKey: true } }
credentials:
  lab: ${login}
  rancid: ${login}
`,
  );
}

async function run(job: string, env: Record<string, string> = {}) {
  const result = await runNetops(['run', job], {
    cwd: t.dir,
    env: { ...t.env, NETBOX_TOKEN: token, ...env },
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result;
}

const backedUp = (stdout: string) =>
  [...stdout.matchAll(/^(\S+) +changed .*tftp-cli, \d+ bytes, created$/gm)].map((m) => m[1]).sort();

describe('a job reading an import source directly', () => {
  it('backs up the lab from a RANCID router.db, re-read on every run', async () => {
    await common();
    const routerDb = (state: string) =>
      `# lab routers, RANCID 3 format\n127.0.0.1;cisco;up;r1 over IPv4\n::1;cisco;${state};r1 over IPv6\n192.0.2.9;cisco;down;retired\n`;
    await writeFile(path.join(t.dir, 'router.db'), routerDb('up'));
    const job = await t.job(
      'rancid',
      { method: 'tftp-cli' },
      {
        inventory: '[common.yaml, { from: rancid, path: router.db }]',
      },
    );
    const listed = await runNetops(['run', job, '--plan'], { cwd: t.dir, env: t.env });
    expect(listed.code, listed.stderr).toBe(0);
    const first = await run(job);
    const hosts = backedUp(first.stdout);
    expect(hosts).toHaveLength(2);
    expect(hosts).toContain('127.0.0.1');
    expect(await readdir(path.join(t.dir, 'store', 'configs'))).toEqual(
      expect.arrayContaining(hosts.map((h) => `${h}.cfg`)),
    );

    // Taken down in router.db: the next run no longer has it.
    await writeFile(path.join(t.dir, 'router.db'), routerDb('down'));
    const second = await run(job);
    expect(second.stdout).toMatch(/^127\.0\.0\.1 +ok .*unchanged$/m);
    expect(second.stdout.match(/^\S+ +(ok|changed|failed|skipped) /gm)).toHaveLength(1);
  });

  it('backs up the lab from an Ansible inventory, ports, platforms and logins from its variables', async () => {
    await common();
    const [r1, r2] = t.lab.devices;
    await writeFile(
      path.join(t.dir, 'hosts.ini'),
      `[ios]
lab-r1 ansible_host=127.0.0.1 ansible_port=${r1!.ports.ssh} ansible_network_os=cisco.ios.ios

[nxos]
lab-r2 ansible_host=::1 ansible_port=${r2!.ports.ssh} ansible_network_os=cisco.nxos.nxos

[lab:children]
ios
nxos

[lab:vars]
ansible_connection=ansible.netcommon.network_cli
ansible_user=admin
ansible_password="{{ lookup('env', 'LAB_PASSWORD') }}"
ansible_become_password="{{ lookup('env', 'LAB_ENABLE') }}"
`,
    );
    const job = await t.job(
      'ansible',
      { method: 'tftp-cli' },
      {
        inventory: '[common.yaml, { from: ansible, path: hosts.ini }]',
      },
    );
    // Ansible's templated passwords are not evaluated: they become references the job's environment fills.
    const first = await run(job, {
      NETOPS_ADMIN_PASSWORD: t.env['NETOPS_LAB_PASSWORD']!,
      NETOPS_ADMIN_ENABLE: t.env['NETOPS_LAB_ENABLE']!,
    });
    expect(backedUp(first.stdout)).toEqual(['lab-r1', 'lab-r2']);
    expect(first.stderr).toMatch(
      /^warning: import: hosts\.ini:\d+: the password of credential set admin is a Jinja2 expression/m,
    );
  });

  it('backs up the lab from an Oxidized CSV file, its passwords moved into 0600 files', async () => {
    await common();
    const [r1, r2] = t.lab.devices;
    const { NETOPS_LAB_PASSWORD: password, NETOPS_LAB_ENABLE: enable } = t.env;
    // Oxidized's default ':' delimiter: the IPv6 address is bracketed.
    await writeFile(
      path.join(t.dir, 'oxidized.db'),
      `ox-r1:127.0.0.1:ios:admin:${password}:${enable}:${r1!.ports.ssh}\nox-r2:[::1]:nxos:admin:${password}:${enable}:${r2!.ports.ssh}\n`,
    );
    const job = await t.job(
      'oxidized',
      { method: 'tftp-cli' },
      {
        inventory: `[common.yaml, { from: oxidized-csv, path: oxidized.db, secretsDir: secrets,
        map: "name=0,ip=1,model=2,username=3,password=4", varsMap: "enable=5,ssh_port=6" }]`,
      },
    );
    const first = await run(job);
    expect(backedUp(first.stdout)).toEqual(['ox-r1', 'ox-r2']);
    expect(first.stderr).not.toContain('warning: import');
    expect((await readdir(path.join(t.dir, 'secrets'))).sort()).toEqual(['admin.enable', 'admin.password']);
    for (const name of await readdir(path.join(t.dir, 'secrets')))
      expect((await stat(path.join(t.dir, 'secrets', name))).mode & 0o777).toBe(0o600);
  });

  it('backs up the lab from NetBox, filtered by tag, with the token in the header', async () => {
    await common();
    const job = await t.job(
      'netbox',
      { method: 'tftp-cli' },
      {
        inventory: `[common.yaml, { from: netbox, url: "${netbox.url}", tag: backup, pageSize: 1 }]`,
      },
    );
    netbox.requests.length = 0;
    const first = await run(job);
    expect(backedUp(first.stdout)).toEqual(['nb-r1', 'nb-r1-v6']);
    expect(netbox.requests.length).toBe(3); // three tagged devices, one a page
    for (const request of netbox.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${token}`);
      expect(request.query.getAll('tag')).toEqual(['backup']);
    }
    expect(first.stdout + first.stderr).not.toContain(token);
  });
});
