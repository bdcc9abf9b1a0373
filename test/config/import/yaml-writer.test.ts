/**
 * The inventory an import writes: it loads as a netops inventory with the hosts the source gave,
 * each host sits under a comment naming its origin and its problems, and nothing is dropped (a
 * disabled host, a host without an address and a credential set without a user are written
 * commented out, ready to be completed).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryVocabulary } from '../../../src/cli/load.js';
import type { ImportResult } from '../../../src/config/import/imported.js';
import { flowYaml } from '../../../src/config/import/yaml-flow.js';
import { inventoryYaml } from '../../../src/config/import/yaml-writer.js';
import type { ConfigInvalidError } from '../../../src/config/diagnostics.js';
import { loadInventory } from '../../../src/config/inventory.js';
import { YamlSource } from '../../../src/config/yaml-source.js';
import { useTempDir } from '../../helpers/fixture.js';

const dir = useTempDir('netops-import-writer-');

const result: ImportResult = {
  source: 'example hosts.ini',
  hosts: [
    {
      name: 'r1',
      address: '198.18.0.1',
      port: 2222,
      platform: 'ios',
      transport: 'ssh',
      groups: ['core'],
      vars: { site: 'a', ntp: { servers: ['198.18.0.123'] }, note: 'a: b # not a comment' },
      credentials: 'noc',
      origin: 'hosts.ini:3',
    },
    { name: 'r2', address: '2001:db8::2', platform: 'nxos', groups: [], vars: {}, origin: 'hosts.ini:4' },
    // Names YAML would read as something else unless quoted.
    { name: 'true', address: '198.18.0.3', groups: [], vars: {}, origin: 'hosts.ini:5' },
    { name: '123', address: '198.18.0.4', groups: [], vars: {}, origin: 'hosts.ini:6' },
    {
      name: 'down1',
      address: '198.18.0.5',
      groups: ['core'],
      vars: {},
      disabled: true,
      origin: 'hosts.ini:7',
    },
    { name: 'noaddr', address: undefined, platform: 'ios', groups: [], vars: {}, origin: 'hosts.ini:8' },
  ],
  groups: [
    { name: 'core', parents: ['site-a'], origin: 'hosts.ini:1' },
    { name: 'site-a', parents: [], origin: 'hosts.ini:10' },
  ],
  credentials: [
    {
      name: 'noc',
      username: 'netops',
      password: { file: path.join(dir, 'secrets', 'noc.password') },
      enable: { env: 'NOC_ENABLE' },
      origin: 'hosts.ini:12',
    },
  ],
  problems: [
    { origin: 'hosts.ini:8', host: 'noaddr', message: 'noaddr has no address', hint: 'Give it one.' },
    { origin: 'hosts.ini:20', message: 'line 20 is not understood', hint: 'Fix line 20.' },
  ],
};

describe('the inventory an import writes', () => {
  it('loads as an inventory with the hosts, groups, data and credentials of the source', async () => {
    const file = path.join(dir, 'imported.yaml');
    await writeFile(file, inventoryYaml(result, { dir }));
    const inventory = await loadInventory([file], await inventoryVocabulary());
    expect([...inventory.hosts.keys()].sort()).toEqual(['123', 'r1', 'r2', 'true']);
    expect(inventory.hosts.get('r1')).toMatchObject({
      address: '198.18.0.1',
      port: 2222,
      platform: 'ios',
      groups: ['core', 'site-a'],
      data: { site: 'a', ntp: { servers: ['198.18.0.123'] }, note: 'a: b # not a comment' },
      credentials: {
        name: 'noc',
        username: 'netops',
        password: { file: path.join(dir, 'secrets', 'noc.password') },
        enable: { env: 'NOC_ENABLE' },
      },
    });
    expect(inventory.hosts.get('r2')).toMatchObject({ address: '2001:db8::2', platform: 'nxos' });
  });

  it('puts each entry under its origin and problems, and the general problems at the top', () => {
    const lines = inventoryYaml(result, { dir }).split('\n');
    const at = (start: string) => lines.findIndex((l) => l.startsWith(start));
    expect(lines[0]).toBe('# netops inventory imported from example hosts.ini');
    expect(lines[1]).toBe(
      '# 6 hosts (commented out: 1 disabled in the source, 1 without an address), 2 groups, 2 problems',
    );
    expect(lines.slice(2, 4)).toEqual([
      '# problem (hosts.ini:20): line 20 is not understood',
      '#   hint: Fix line 20.',
    ]);
    expect(lines[at('  r1:') - 1]).toBe('  # hosts.ini:3');
    expect(lines[at('  core:') - 1]).toBe('  # hosts.ini:1');
    expect(lines[at('  noc:') - 1]).toBe('  # hosts.ini:12');
    // Secret files are relative to the folder of the written inventory, as inventories resolve them.
    expect(lines[at('  noc:')]).toContain('file: secrets/noc.password');
    const noaddr = at('  # noaddr:');
    expect(lines.slice(noaddr - 4, noaddr)).toEqual([
      '  # hosts.ini:8',
      '  # problem (hosts.ini:8): noaddr has no address',
      '  #   hint: Give it one.',
      '  # no address: add one and remove the # below',
    ]);
    expect(lines[at('  # down1:') - 1]).toBe('  # disabled in the source; remove the # below to include it');
  });

  it('writes a commented-out host that loads once uncommented', async () => {
    const file = path.join(dir, 'enabled.yaml');
    const text = inventoryYaml(result, { dir }).replace('  # down1:', '  down1:');
    await writeFile(file, text);
    const inventory = await loadInventory([file], await inventoryVocabulary());
    expect(inventory.hosts.get('down1')).toMatchObject({ address: '198.18.0.5', groups: ['core', 'site-a'] });
  });

  it('writes a credential set without a user to fill in, or commented out for a job', async () => {
    const unfilled: ImportResult = {
      ...result,
      credentials: [
        { name: 'rancid', username: undefined, password: { env: 'RANCID_PASSWORD' }, origin: 'router.db' },
      ],
      hosts: result.hosts.map((h) => ({ ...h, credentials: 'rancid' })),
    };
    const file = path.join(dir, 'unfilled.yaml');
    const text = inventoryYaml(unfilled);
    await writeFile(file, text);
    const error = (await loadInventory([file], await inventoryVocabulary()).catch(
      (e: unknown) => e,
    )) as ConfigInvalidError;
    expect(error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'credentials.rancid.username: expected string, found null',
    ]);
    const forJob = inventoryYaml(unfilled, { forJob: true });
    expect(forJob).toContain('credentials: {}\n');
    expect(forJob).toContain('  # rancid: { username: null, password: { env: RANCID_PASSWORD } }\n');
    expect(forJob.split('\n')).toHaveLength(text.split('\n').length);
  });
});

describe('values written on one line', () => {
  const strings = [
    ...['true', 'False', 'null', '~', '', '123', '-1', '0x1F', '0o17', '1e3', '.inf', '-.5', '.NaN'],
    ...['2001:db8::2', '::1', 'fe80::', '198.18.0.1', 'a: b', 'a:b', 'x:', 'a #b', '#x', '-x', '- x', '?x'],
    ...['[x]', '{x}', 'x,y', '*a', '&a', '!t', '|', '>', '%x', '@x', '`x`', '"q"', "'q'", ' lead', 'trail '],
    ...['a  b', 'tab\tx', 'new\nline', 'ünïcode', 'yes', 'no', 'on', 'PE in rack 4', 'back\\slash'],
  ];
  const value = {
    strings,
    numbers: [0, -1, 1.5, 1e21, Infinity, -Infinity],
    others: [true, false, null, [], {}, [[1, 'x'], { a: [] }]],
    ...Object.fromEntries(strings.map((s, i) => [s, i])),
  };

  it('read back as the same values by both YAML readers', () => {
    const text = `hosts:\n  h: { address: 198.18.0.1, data: ${flowYaml(value)} }\n`;
    expect(text.split('\n')).toHaveLength(3);
    for (const source of [YamlSource.parse('t.yaml', text), YamlSource.parseWithPositions('t.yaml', text)])
      expect((source.data as { hosts: { h: { data: unknown } } }).hosts.h.data).toEqual(value);
  });
});
