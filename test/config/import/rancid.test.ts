import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { globPattern, lookup, readCloginrc, tclWords } from '../../../src/config/import/cloginrc.js';
import { importRancid, rancidImporter } from '../../../src/config/import/rancid.js';
import { useEnv, useTempDir } from '../../helpers/fixture.js';

const fixtures = 'test/fixtures/import/rancid';
const core = `${fixtures}/core/router.db`;
const legacy = `${fixtures}/legacy/router.db`;
const secrets = useTempDir('netops-rancid-secrets-');
// clogin reads a relative `include {file}` under $HOME.
useEnv({ HOME: path.resolve(fixtures) });

const byName = (result: Awaited<ReturnType<typeof importRancid>>) =>
  new Map(result.hosts.map((host) => [host.name, host]));

describe('RANCID 3 router.db (";")', () => {
  test('maps each device: name as address (IPv6 in RFC 5952 form), type to platform, state to disabled, the folder as group', async () => {
    const result = await importRancid(core);
    const hosts = byName(result);
    expect(hosts.get('core1.paris.example.net')).toMatchObject({
      address: 'core1.paris.example.net',
      platform: 'ios',
      groups: ['core'],
      origin: `${core}:2`,
    });
    // Names are lower-cased as RANCID does; spaces around the separator are allowed.
    expect(hosts.get('core2.paris.example.net')).toMatchObject({
      platform: 'ios',
      vars: { comment: 'uplinks moved 2026-10' },
    });
    expect(hosts.get('2001-db8--10')).toMatchObject({ address: '2001:db8::10', platform: 'nxos' });
    expect(hosts.get('2001-db8--11')).toMatchObject({
      address: '2001:db8::11',
      disabled: true,
      vars: { comment: 'in testing until 5/5' },
    });
    expect(hosts.get('198.18.0.21')).toMatchObject({
      platform: 'frr',
      disabled: true,
      vars: { rancidState: 'ticketed' },
    });
    expect(hosts.get('2001-db8--10')?.disabled).toBeUndefined();
    expect(result.groups).toEqual([{ name: 'core', parents: [], origin: core }]);
  });

  test('drops no host silently: unknown types, missing types, bad names and duplicates are problems with their line', async () => {
    const result = await importRancid(core);
    const dataLines = (await readFile(core, 'utf8')).split('\n').filter((line) => !/^\s*(#|$)/.test(line));
    // Every device line is a host, except the duplicate, which is a problem naming both lines.
    expect(result.hosts).toHaveLength(dataLines.length - 1);
    const problems = result.problems.map((p) => `${p.origin} ${p.message}`);
    expect(problems).toEqual([
      `${core}:7 device type "juniper" of 198.18.0.20 has no netops platform; imported without one`,
      `${core}:10 host core1.paris.example.net is listed again (first at ${core}:2); the first entry is kept`,
      `${core}:11 host name "bad_name!" is not a valid inventory name; imported as "bad_name-"`,
      `${core}:11 device "bad_name!" is neither an IP address nor a host name; imported without an address`,
      `${core}:13 lonely has no device type; imported without a platform`,
    ]);
    expect(byName(result).get('198.18.0.20')).toMatchObject({ address: '198.18.0.20' });
    expect(byName(result).get('198.18.0.20')?.platform).toBeUndefined();
  });

  test('a user platform map wins over the built-in table', async () => {
    const result = await importRancid(core, { platformMap: { Juniper: 'frr', cisco: 'nxos' } });
    expect(byName(result).get('198.18.0.20')?.platform).toBe('frr');
    expect(byName(result).get('border1.paris')?.platform).toBe('nxos');
    expect(result.problems.some((p) => p.message.includes('juniper'))).toBe(false);
  });

  test('without .cloginrc the hosts share one credential set of references to fill in', async () => {
    const result = await importRancid(core);
    expect(result.credentials).toEqual([
      expect.objectContaining({
        name: 'rancid',
        username: undefined,
        password: { env: 'NETOPS_RANCID_PASSWORD' },
        enable: { env: 'NETOPS_RANCID_ENABLE' },
      }),
    ]);
    expect(result.hosts.every((host) => host.credentials === 'rancid')).toBe(true);
  });
});

describe('RANCID 2 router.db (":")', () => {
  test('reads name:type:state, a bracketed IPv6 name and a bare one that reads only one way', async () => {
    const result = await importRancid(legacy);
    expect(result.problems).toEqual([]);
    expect(result.hosts.map((h) => [h.name, h.address, h.platform, h.disabled ?? false])).toEqual([
      ['edge1.lyon', 'edge1.lyon', 'ios', false],
      ['edge2.lyon', 'edge2.lyon', 'nxos', true],
      ['2001-db8--30', '2001:db8::30', 'ios', false],
      ['2001-db8--31', '2001:db8::31', 'ios', false],
      ['198.18.0.32', '198.18.0.32', 'nxos', false],
    ]);
    expect(byName(result).get('2001-db8--31')?.vars).toEqual({
      comment: 'bare IPv6 read as the only address prefix',
    });
  });
});

describe('.cloginrc, only when asked', () => {
  test('first matching line per directive; passwords go to 0600 files and the sets refer to them', async () => {
    const dir = path.join(secrets, 'first');
    const result = await importRancid(core, { cloginrc: `${fixtures}/cloginrc`, secretsDir: dir });
    const hosts = byName(result);
    const sets = new Map(result.credentials.map((set) => [set.name, set]));
    const border = hosts.get('border1.paris')!;
    expect(border).toMatchObject({ transport: 'telnet', port: 2323 });
    expect(sets.get(border.credentials!)).toMatchObject({
      username: 'netops-border',
      password: { file: path.resolve(dir, `${border.credentials}.password`) },
      enable: { file: path.resolve(dir, `${border.credentials}.enable`) },
    });
    const core1 = hosts.get('core1.paris.example.net')!;
    expect(core1.transport).toBe('ssh');
    expect(sets.get(core1.credentials!)).toMatchObject({
      username: 'netops',
      privateKey: { file: path.resolve(fixtures, 'keys/id_core') },
    });
    const core2 = sets.get(hosts.get('core2.paris.example.net')!.credentials!)!;
    expect(core2.privateKey).toBeUndefined();
    const passwordFile = (core2.password as { file: string }).file;
    expect(await readFile(passwordFile, 'utf8')).toBe('vty-secret\n');
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(`${dir}/${border.credentials}.password`, 'utf8')).toBe('b0rder pw\n');
    // No secret value anywhere in the result.
    const text = JSON.stringify(result);
    for (const secret of ['vty-secret', 'enable-secret', 'b0rder', 'b0rder-en'])
      expect(text).not.toContain(secret);
  });

  test('asking for .cloginrc without a secrets folder is refused before anything is read', async () => {
    await expect(importRancid(core, { cloginrc: `${fixtures}/cloginrc` })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      hint: expect.stringContaining('--secrets-dir'),
    });
  });

  test('as an importer: options are checked, and relative paths resolve against the job folder', async () => {
    expect(rancidImporter.options.safeParse({ cloginrc: 1 }).success).toBe(false);
    expect(rancidImporter.options.safeParse({ nope: true }).success).toBe(false);
    const options = rancidImporter.options.parse({
      cloginrc: 'cloginrc',
      secretsDir: path.join(secrets, 'job'),
    });
    const result = await rancidImporter.read(path.resolve(legacy), options, {
      baseDir: path.resolve(fixtures),
      secret: () => Promise.reject(new Error('no secret is needed')),
    });
    expect(result.credentials.map((set) => set.username)).toEqual(['netops']);
  });
});

test('an unreadable router.db is an error naming the file', async () => {
  await expect(importRancid(`${fixtures}/missing/router.db`)).rejects.toMatchObject({
    code: 'CONFIG_UNREADABLE',
    message: expect.stringContaining(`${fixtures}/missing/router.db`),
  });
});

test('a RANCID 2 line whose bare IPv6 name reads two ways is a problem asking for brackets', async () => {
  const file = path.join(secrets, 'ambiguous-router.db');
  await writeFile(file, 'edge1:cisco:up\n2001:db8::1:a10:up:down\n');
  const result = await importRancid(file);
  expect(result.hosts.map((h) => h.name)).toEqual(['edge1']);
  expect(result.problems).toEqual([
    expect.objectContaining({
      origin: `${file}:2`,
      message:
        'cannot read this line: an IPv6 address in a ":"-separated router.db can be read more than one way',
      hint: expect.stringContaining('[brackets]'),
    }),
  ]);
});

test('.cloginrc: Tcl words and escapes, globs, includes in place, first match wins', async () => {
  expect(tclWords('add password r* {a\\ b} {c\\}d} plain')).toEqual([
    'add',
    'password',
    'r*',
    'a b',
    'c}d',
    'plain',
  ]);
  expect(globPattern('edge[12].*').test('edge1.lyon')).toBe(true);
  expect(globPattern('edge[12].*').test('edge3.lyon')).toBe(false);
  expect(globPattern('r?').test('r10')).toBe(false);
  const directives = await readCloginrc(`${fixtures}/cloginrc-main`);
  expect(lookup(directives, 'user', 'edge1.lyon')?.values).toEqual(['first-match']);
  expect(lookup(directives, 'user', 'edge2')).toMatchObject({
    values: ['from-include'],
    origin: `${path.resolve(fixtures)}/cloginrc-included:1`,
  });
  expect(lookup(directives, 'password', 'edge2')?.values).toEqual(['inc pw', 'inc}en']);
  expect(lookup(directives, 'user', 'core9')?.values).toEqual(['never-reached-for-edge2']);
});
