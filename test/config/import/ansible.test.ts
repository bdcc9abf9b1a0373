import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { expandHostPattern } from '../../../src/config/import/ansible-host-pattern.js';
import { pythonValue, shellWords } from '../../../src/config/import/ansible-ini-values.js';
import { ansiblePlatforms, importAnsible } from '../../../src/config/import/ansible.js';
import type { ImportResult } from '../../../src/config/import/imported.js';
import { normalizeAddress } from '../../../src/net/address.js';
import { useTempDir } from '../../helpers/fixture.js';

const fixtures = 'test/fixtures/import/ansible';
const inventories = { ini: `${fixtures}/ini/hosts.ini`, yaml: `${fixtures}/yaml/inventory.yaml` };
const work = useTempDir('netops-ansible-import-');

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | AnsibleList['_meta'];
}

const listed = new Map<string, Promise<{ json: string; list: AnsibleList }>>();

/** What Debian's Ansible itself resolves for the file (run once per file: it takes seconds). */
function ansibleList(file: string): Promise<{ json: string; list: AnsibleList }> {
  if (!listed.has(file)) listed.set(file, runAnsibleInventory(file));
  return listed.get(file)!;
}

async function runAnsibleInventory(file: string): Promise<{ json: string; list: AnsibleList }> {
  const { stdout } = await promisify(execFile)('/usr/bin/ansible-inventory', ['-i', file, '--list'], {
    env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_NOCOLOR: '1' },
    maxBuffer: 16 << 20,
  });
  return { json: stdout, list: JSON.parse(stdout) as AnsibleList };
}

const loginVars = ['ansible_user', 'ansible_password', 'ansible_become_password'];
const mapped = ['ansible_host', 'ansible_port', 'ansible_network_os', 'ansible_connection', ...loginVars];

/** The same result without where things came from (a file line against a --list entry). */
function comparable(result: ImportResult) {
  return {
    hosts: [...result.hosts]
      .map(({ origin: _, ...host }) => host)
      .sort((a, b) => a.name.localeCompare(b.name)),
    groups: [...result.groups].map((g) => [g.name, [...g.parents].sort()]).sort(),
    credentials: result.credentials.map(({ origin: _, ...set }) => set),
    problems: result.problems.map((p) => p.message).sort(),
  };
}

describe.each(Object.entries(inventories))(
  'Ansible %s inventory against ansible-inventory --list',
  (_, file) => {
    test('every host Ansible lists is imported with the variables Ansible resolves for it', async () => {
      const { list } = await ansibleList(file);
      const result = await importAnsible(file);
      const hosts = new Map(result.hosts.map((host) => [host.name, host]));
      const sets = new Map(result.credentials.map((set) => [set.name, set]));
      const ansibleHosts = Object.keys(list._meta.hostvars);
      expect(result.hosts).toHaveLength(ansibleHosts.length);
      for (const [name, hostvars] of Object.entries(list._meta.hostvars)) {
        const host = hosts.get(name) ?? result.hosts.find((h) => h.address === normalizeAddress(name))!;
        expect(host, name).toBeDefined();
        const unmapped = Object.fromEntries(
          Object.entries(hostvars).filter(([key]) => !mapped.includes(key)),
        );
        expect(host.vars, name).toEqual(unmapped);
        const address = String(hostvars['ansible_host'] ?? name);
        expect(host.address, name).toBe(normalizeAddress(address) ?? address);
        expect(host.port, name).toBe(hostvars['ansible_port']);
        const os = hostvars['ansible_network_os'] as string | undefined;
        expect(host.platform, name).toBe(os === undefined ? undefined : ansiblePlatforms[os]);
        const set = host.credentials === undefined ? undefined : sets.get(host.credentials);
        expect(set?.username, name).toBe(hostvars['ansible_user']);
      }
    });

    test('groups and memberships are the ones Ansible lists', async () => {
      const { list } = await ansibleList(file);
      const result = await importAnsible(file);
      const listed = Object.entries(list).filter(([name]) => !['_meta', 'all', 'ungrouped'].includes(name));
      expect(result.groups.map((g) => g.name).sort()).toEqual(listed.map(([name]) => name).sort());
      for (const [group, entry] of listed) {
        const { hosts = [], children = [] } = entry as { hosts?: string[]; children?: string[] };
        const members = result.hosts.filter((h) => h.groups.includes(group)).map((h) => h.name);
        expect(members.sort(), group).toEqual(
          hosts
            .map((h) => result.hosts.find((x) => x.name === h || x.address === normalizeAddress(h))!.name)
            .sort(),
        );
        const subgroups = result.groups.filter((g) => g.parents.includes(group)).map((g) => g.name);
        expect(subgroups.sort(), group).toEqual([...children].sort());
      }
    });

    test("importing the file and importing Ansible's --list JSON of it give the same inventory", async () => {
      const { json } = await ansibleList(file);
      const listFile = path.join(work, `${path.basename(file)}.json`);
      await writeFile(listFile, json);
      expect(comparable(await importAnsible(listFile))).toEqual(comparable(await importAnsible(file)));
    });
  },
);

describe('what an Ansible inventory holds that netops cannot use is a problem with its line', () => {
  test('INI: other connections, unknown network OS, vaulted and clear passwords', async () => {
    const file = inventories.ini;
    const result = await importAnsible(file);
    expect(result.problems.map((p) => `${p.origin} ${p.message}`)).toEqual([
      `${file}:2 mgmt-probe has no ansible_network_os; imported without a platform`,
      `${file}:2 ansible_connection "local" is not a CLI login netops makes; imported with netops' default (ssh)`,
      `${file}:2 the password of credential set automation is written in clear in the source; left as the reference NETOPS_AUTOMATION_PASSWORD`,
      `${file}:5 the password of credential set netops is written in clear in the source; left as the reference NETOPS_NETOPS_PASSWORD`,
      `${file}:11 the password of credential set nxadmin is encrypted with Ansible Vault; left as the reference NETOPS_NXADMIN_PASSWORD`,
      `${file}:12 2001:db8::21 has no ansible_network_os; imported without a platform`,
      `${file}:18 ansible_network_os "junipernetworks.junos.junos" of j1 has no netops platform; imported without one`,
    ]);
    expect(JSON.stringify(result)).not.toContain('plain-text-secret');
    expect(JSON.stringify(result)).not.toContain('$ANSIBLE_VAULT');
  });

  test('with a secrets folder, a clear password goes to a 0600 file the set refers to', async () => {
    const dir = path.join(work, 'secrets');
    const result = await importAnsible(inventories.ini, { secretsDir: dir });
    const set = result.credentials.find((s) => s.name === 'automation')!;
    expect(set.password).toEqual({ file: path.join(dir, 'automation.password') });
    expect(await readFile(path.join(dir, 'automation.password'), 'utf8')).toBe('plain-text-secret\n');
    expect((await stat(path.join(dir, 'automation.password'))).mode & 0o777).toBe(0o600);
    // A vaulted value is never decrypted: it stays a reference.
    expect(result.credentials.find((s) => s.name === 'nxadmin')!.password).toEqual({
      env: 'NETOPS_NXADMIN_PASSWORD',
    });
  });

  test('YAML: a host named by its IPv6 address keeps it as address under a valid name', async () => {
    const result = await importAnsible(inventories.yaml);
    expect(result.hosts.find((h) => h.address === '2001:db8::32')).toMatchObject({
      name: '2001-db8--32',
      port: 2200,
      platform: 'nxos',
      groups: ['distribution'],
      origin: `${inventories.yaml}:37`,
    });
    expect(result.hosts.find((h) => h.name === 'f1')).toMatchObject({ address: '::1', platform: 'frr' });
  });
});

describe('INI values and host patterns read as Ansible reads them', () => {
  test.each([
    ['22', 22],
    ['True # comment', true],
    ['None', null],
    ['"[1, 2]"', '[1, 2]'],
    ['[1, "a", (2, 3)]', [1, 'a', [2, 3]]],
    ["{'a': 1}", { a: 1 }],
    ['198.18.0.1', '198.18.0.1'],
    ['Authorized use only # not a literal', 'Authorized use only # not a literal'],
    ['0x1F', 31],
    ['-1.5', -1.5],
  ])('%s', (text, value) => {
    expect(pythonValue(text)).toEqual(value);
  });

  test('shell words: quotes, escapes and comments', () => {
    expect(shellWords(`r1 a="x y" b='#1' c=d\\ e # tail`)).toEqual(['r1', 'a=x y', 'b=#1', 'c=d e']);
    expect(shellWords(`r1 a="open`)).toContain('no closing quotation');
  });

  test('host patterns: ranges, letters, steps, ports, IPv6', () => {
    expect(expandHostPattern('sw[01:03]')).toEqual({ names: ['sw01', 'sw02', 'sw03'] });
    expect(expandHostPattern('r[a:c]-[1:2]:2222')).toEqual({
      names: ['ra-1', 'ra-2', 'rb-1', 'rb-2', 'rc-1', 'rc-2'],
      port: 2222,
    });
    expect(expandHostPattern('r[0:6:3]')).toEqual({ names: ['r0', 'r3', 'r6'] });
    expect(expandHostPattern('2001:db8::1')).toEqual({ names: ['2001:db8::1'] });
    expect(expandHostPattern('[2001:db8::1]:22')).toEqual({ names: ['2001:db8::1'], port: 22 });
    expect(expandHostPattern('r[01:3]')).toContain('one width');
  });
});

test('an INI line Ansible would refuse is a problem with its line, and the rest of the file is read', async () => {
  const file = path.join(work, 'broken.ini');
  await writeFile(
    file,
    '[ios]\nr1 ansible_host=127.0.0.1 ansible_network_os=ios\nr2 stray-word\n[ios:weird]\nr3 ansible_network_os=ios\n',
  );
  const result = await importAnsible(file);
  expect(result.problems.map((p) => `${p.origin} ${p.message}`)).toEqual([
    `${file}:3 expected key=value after the host, found: stray-word`,
    `${file}:4 section [ios:weird] has an unknown type; its lines are not read`,
    `${file}:5 not read: the line is in the section [ios:weird], of an unknown type`,
  ]);
  expect(result.hosts.map((h) => h.name)).toEqual(['r1']);
});
