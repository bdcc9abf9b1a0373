/** Inventory inheritance, limits and address forms, as `netops inventory list` shows them. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, type Inventory } from '../../src/config/inventory.js';
import { selectHosts } from '../../src/config/limit.js';
import { inventoryVocabulary } from '../../src/cli/load.js';
import { normalizeAddress } from '../../src/net/address.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-inv-');
let inventory: Inventory;

const siteA = `defaults:
  transport: ssh
  port: 22
  data: { owner: noc, site: unknown }
credentials:
  lab: { username: admin, password: { env: LAB_PASSWORD } }
groups:
  site-a:
    data: { site: a, region: eu }
  core:
    groups: [site-a]
    platform: ios
    port: 2222
    data: { role: core }
  legacy:
    transport: telnet
    platform: frr
    ssh: { legacyAlgorithms: true }
hosts:
  r1: { address: 198.18.0.1, groups: [core], credentials: lab }
  r2: { address: "2001:DB8:0:0:0:0:0:2", groups: [legacy, core], data: { role: edge } }
  sw1: { address: switch1.example.net, platform: nxos, port: 22 }
`;

const siteB = `groups:
  site-b: { data: { site: b } }
hosts:
  r9: { address: "2001:db8::ffff:198.18.0.9", groups: [site-b, core] }
`;

beforeAll(async () => {
  await writeFile(path.join(dir, 'site-a.yaml'), siteA);
  await writeFile(path.join(dir, 'site-b.yaml'), siteB);
  inventory = await loadInventory(
    [path.join(dir, 'site-a.yaml'), path.join(dir, 'site-b.yaml')],
    await inventoryVocabulary(),
  );
});

const host = (name: string) => inventory.hosts.get(name)!;

describe('precedence: host > groups in listed order > defaults', () => {
  it('a group value beats defaults, and a host value beats its groups', () => {
    expect(host('r1').port).toBe(2222); // core
    expect(host('sw1').port).toBe(22); // host
    expect(host('sw1').platform).toBe('nxos');
    expect(host('r1').platform).toBe('ios');
  });

  it('the first listed group wins over later ones', () => {
    expect(host('r2').platform).toBe('frr'); // legacy is listed before core
    expect(host('r2').transport).toBe('telnet');
    expect(host('r2').ssh.legacyAlgorithms).toBe(true);
    expect(host('r1').ssh.legacyAlgorithms).toBe(false);
  });

  it('a group inherits from the groups it belongs to, after its own values', () => {
    expect(host('r1').groups).toEqual(['core', 'site-a']);
    expect(host('r1').data).toEqual({ role: 'core', site: 'a', region: 'eu', owner: 'noc' });
  });

  it('data merges key by key with the same precedence', () => {
    expect(host('r2').data).toEqual({ role: 'edge', site: 'a', region: 'eu', owner: 'noc' });
    expect(host('r9').data).toMatchObject({ site: 'b', role: 'core', region: 'eu' });
  });

  it('files are merged: a host in one file uses groups from another', () => {
    expect(host('r9').platform).toBe('ios');
    expect(host('r9').groups).toEqual(['site-b', 'core', 'site-a']);
  });

  it('records where every value came from', () => {
    const origins = inventory.origins('r2');
    expect(origins['platform']).toMatchObject({ source: 'group:legacy', line: 17 });
    expect(origins['port']).toMatchObject({ source: 'group:core', line: 13 });
    expect(origins['data.site']).toMatchObject({ source: 'group:site-a', line: 9 });
    expect(origins['data.owner']).toMatchObject({ source: 'defaults', line: 4 });
    expect(origins['data.role']).toMatchObject({ source: 'host' });
  });

  it('`inventory list --show-origin` prints the origin of each value', async () => {
    const result = await runNetops(
      ['inventory', 'list', '-i', 'site-a.yaml', '-i', 'site-b.yaml', '--limit', 'r2', '--show-origin'],
      { cwd: dir, env: { LAB_PASSWORD: 'x' } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('platform = "frr"   (group:legacy site-a.yaml:17)');
    expect(result.stdout).toContain('port = 2222   (group:core site-a.yaml:13)');
  });
});

describe('addresses', () => {
  it.each([
    ['2001:DB8:0:0:0:0:0:2', '2001:db8::2'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'], // the longest run of zeros wins
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:198.18.0.9', '::ffff:c612:9'],
    ['2001:db8::ffff:198.18.0.9', '2001:db8::ffff:c612:9'],
    ['FE80::1%eth0', 'fe80::1%eth0'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['198.18.0.1', '198.18.0.1'],
  ])('%s is stored and shown as %s (RFC 5952)', (input, canonical) => {
    expect(normalizeAddress(input)).toBe(canonical);
  });

  it.each(['10.0.0.300', '2001:db8::1::2', '1.2.3', '2001:db8:::1', '12345::1', ':1', '1:2:3:4:5:6:7:8:9'])(
    '%s is not an address',
    (input) => expect(normalizeAddress(input)).toBeUndefined(),
  );

  it('inventory addresses are canonical and names are kept', () => {
    expect(host('r2').address).toBe('2001:db8::2');
    expect(host('r9').address).toBe('2001:db8::ffff:c612:9');
    expect(host('sw1').address).toBe('switch1.example.net');
  });
});

describe('--limit patterns', () => {
  const names = (limit: string) =>
    selectHosts(inventory.hosts.values(), limit)
      .hosts.map((h) => h.name)
      .sort();

  it.each([
    ['r1', ['r1']],
    ['r*', ['r1', 'r2', 'r9']],
    ['r?', ['r1', 'r2', 'r9']],
    ['group:core', ['r1', 'r2', 'r9']],
    ['group:site-a', ['r1', 'r2', 'r9']],
    ['group:site-b', ['r9']],
    ['platform:nxos', ['sw1']],
    ['platform:ios*', ['r1', 'r9']],
    ['platform:?rr', ['r2']],
    ['r1,sw1', ['r1', 'sw1']],
    ['group:core,!r2', ['r1', 'r9']],
    ['!group:legacy', ['r1', 'r9', 'sw1']],
    ['!r*', ['sw1']],
  ])('%s selects %j', (limit, expected) => expect(names(limit)).toEqual(expected));

  it('reports patterns that matched nothing and refuses an empty selection', () => {
    expect(selectHosts(inventory.hosts.values(), 'r1,typo').unmatched).toEqual(['typo']);
    expect(() => selectHosts(inventory.hosts.values(), 'group:nope')).toThrow(/selects no host/);
  });
});

describe('anchors and aliases', () => {
  it('a file reusing one anchor for 150 hosts loads (the library default of 100 would refuse it)', async () => {
    const hosts = Array.from({ length: 150 }, (_, i) => `  h${i}: { address: 198.18.1.${i}, data: *common }`);
    const file = path.join(dir, 'aliases.yaml');
    await writeFile(
      file,
      `defaults:\n  data: &common { site: a, owner: noc }\nhosts:\n${hosts.join('\n')}\n`,
    );
    const loaded = await loadInventory([file], await inventoryVocabulary());
    expect(loaded.hosts.size).toBe(150);
    expect(loaded.hosts.get('h149')?.data).toEqual({ site: 'a', owner: 'noc' });
  });

  it('aliases nested into an exponential expansion are refused at the first alias', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e'].entries()) {
      const prior = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prior}`).join(', ')}]`);
    }
    const file = path.join(dir, 'laughs.yaml');
    await writeFile(file, `${levels.join('\n')}\nhosts: {}\n`);
    const error = await loadInventory([file], await inventoryVocabulary()).catch((e) => e);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/laughs\.yaml:2:8 aliases expand to more than 1000 nodes/);
  });
});
