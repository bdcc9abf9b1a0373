import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import {
  importOxidizedCsv,
  oxidizedCsvImporter,
  parseOxidizedMap,
  splitFields,
} from '../../../src/config/import/oxidized-csv.js';
import { useTempDir } from '../../helpers/fixture.js';

const file = 'test/fixtures/import/oxidized/router.db';
const semicolon = 'test/fixtures/import/oxidized/semicolon.db';
const work = useTempDir('netops-oxidized-import-');
const map = 'name=0,ip=1,model=2,group=3,username=4,password=5';
const varsMap = 'enable=6,input=7,ssh_port=8,site=9';
const options = () => oxidizedCsvImporter.options.parse({ map, varsMap });

test('maps the columns Oxidized is configured with: address, platform, group, transport, port, credentials, other vars as data', async () => {
  const result = await importOxidizedCsv(file, options());
  const hosts = new Map(result.hosts.map((h) => [h.name, h]));
  expect(hosts.get('core1')).toEqual({
    name: 'core1',
    address: '198.18.0.1',
    transport: 'ssh',
    port: 2201,
    platform: 'ios',
    groups: ['core'],
    vars: { site: 'paris' },
    credentials: 'oxidized',
    origin: `${file}:2`,
  });
  // A bracketed IPv6 address survives the ":" delimiter.
  expect(hosts.get('core2')).toMatchObject({ address: '2001:db8::2', credentials: 'oxidized' });
  expect(hosts.get('core2')?.port).toBeUndefined();
  expect(hosts.get('nx1')).toMatchObject({ platform: 'nxos', transport: 'ssh', port: 2211, groups: ['dc'] });
  expect(hosts.get('tele1')).toMatchObject({ transport: 'telnet', credentials: 'admin' });
  expect(hosts.get('old1')?.credentials).toBeUndefined();
  expect(hosts.get('nameonly.example.net')?.address).toBe('nameonly.example.net');
  expect(result.groups.map((g) => g.name)).toEqual(['core', 'dc', 'legacy']);
  // Same user, password and enable: one set; nx1 has no enable, so a set of its own.
  expect(result.credentials.map((s) => [s.name, s.username])).toEqual([
    ['oxidized', 'oxidized'],
    ['oxidized-2', 'oxidized'],
    ['admin', 'admin'],
  ]);
});

test('nothing is dropped silently: a bare IPv6 line, a missing name, an unknown model are problems with their line', async () => {
  const result = await importOxidizedCsv(file, options());
  const problems = result.problems.map((p) => `${p.origin} ${p.message}`);
  expect(problems).toEqual([
    `${file}:2 the password of credential set oxidized is written in clear in the source; left as the reference NETOPS_OXIDIZED_PASSWORD`,
    `${file}:2 the enable of credential set oxidized is written in clear in the source; left as the reference NETOPS_OXIDIZED_ENABLE`,
    `${file}:4 the password of credential set oxidized-2 is written in clear in the source; left as the reference NETOPS_OXIDIZED_2_PASSWORD`,
    `${file}:7 the password of credential set admin is written in clear in the source; left as the reference NETOPS_ADMIN_PASSWORD`,
    `${file}:8 model "junos" of junos1 has no netops platform; imported without one`,
    `${file}:9 this line holds an IPv6 address outside brackets, which the ":" delimiter splits`,
    `${file}:10 no name in column 0`,
  ]);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => !/^\s*(#|$)/.test(l));
  expect(result.hosts.length + 2).toBe(lines.length);
  expect(JSON.stringify(result)).not.toMatch(/S3cret|En4ble|T3lnet/);
});

test('with a secrets folder the passwords go into 0600 files', async () => {
  const dir = path.join(work, 'secrets');
  const result = await importOxidizedCsv(file, { ...options(), secretsDir: dir });
  expect(result.credentials[0]).toMatchObject({
    password: { file: path.join(dir, 'oxidized.password') },
    enable: { file: path.join(dir, 'oxidized.enable') },
  });
  expect(await readFile(path.join(dir, 'oxidized.enable'), 'utf8')).toBe('En4ble\n');
  expect((await stat(path.join(dir, 'oxidized.enable'))).mode & 0o777).toBe(0o600);
  expect(result.problems.some((p) => p.message.includes('in clear'))).toBe(false);
});

test("Oxidized's default map (name:model) and another delimiter, where IPv6 needs no brackets", async () => {
  const byDefault = await importOxidizedCsv(file);
  expect(byDefault.hosts[0]).toMatchObject({ name: 'core1', address: 'core1', groups: [] });
  const result = await importOxidizedCsv(semicolon, { map: { name: 0, ip: 1, model: 2 }, delimiter: ';' });
  expect(result.problems).toEqual([]);
  expect(result.hosts.map((h) => [h.name, h.address, h.platform])).toEqual([
    ['edge1', '2001:db8::10', 'nxos'],
    ['edge2', '198.18.0.11', 'ios'],
  ]);
});

test('maps and fields', () => {
  expect(parseOxidizedMap('name=0, ip=1,model:2')).toEqual({ name: 0, ip: 1, model: 2 });
  expect(parseOxidizedMap('name')).toBeUndefined();
  expect(oxidizedCsvImporter.options.safeParse({ map: 'name' }).success).toBe(false);
  expect(splitFields('a:[2001:db8::1]:ios', ':')).toEqual(['a', '2001:db8::1', 'ios']);
  expect(splitFields('r1::ios', ':')).toEqual(['r1', '', 'ios']);
  expect(splitFields('r1:2001:db8::1:ios', ':')).toContain('outside brackets');
});
