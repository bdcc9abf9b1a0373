/**
 * Bad input gets a clear error and loses nothing: every case below is a mistake users make in
 * inventory or job files. Each must stop `netops run` with exit code 2, name the exact
 * file:line:col and path with what was expected, and contact no device.
 * The expected position is marked in each fixture with ‸ (removed before writing the file).
 */
import { mkdtemp, mkdir, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { runNetops } from '../helpers/netops-cli.js';
import { countingListener } from '../helpers/tcp-listener.js';
import { marker, place } from './malformed-corpus-cases.js';

const inventory = (hosts: string, rest = '') => `defaults:
  transport: ssh
credentials:
  lab:
    username: admin
    password: { env: NETOPS_TEST_PW }
groups:
  core:
    platform: ios
${rest}hosts:
${hosts}`;

const r1 = (extra = '', address = '127.0.0.1') => `  r1:
    address: ${address}
    port: PORT
    groups: [core]
    credentials: lab
${extra}`;

const job = (steps = '  - task: reachable\n', top = '') => `inventory: ../inventory/site-a.yaml
${top}steps:
${steps}`;

interface Case {
  readonly name: string;
  readonly inventory?: string;
  readonly job?: string;
  readonly files?: Record<string, string>;
  readonly env?: Record<string, string | undefined>;
  readonly args?: readonly string[];
  /** The file the marker is in. */
  readonly in: 'inventory/site-a.yaml' | 'jobs/job.yaml' | 'inventory/site-b.yaml';
  readonly path: string;
  readonly message: string;
}

const cases: Case[] = [
  {
    name: 'YAML syntax: unclosed flow list',
    in: 'inventory/site-a.yaml',
    inventory: inventory(`  r1:\n    address: 127.0.0.1\n    groups: [core\n‸`),
    path: '',
    message:
      'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  },
  {
    name: 'YAML syntax: tab indentation',
    in: 'inventory/site-a.yaml',
    inventory: inventory(`  r1:\n‸\taddress: 127.0.0.1\n`),
    path: '',
    message: 'YAML syntax error: Tabs are not allowed as indentation',
  },
  {
    name: 'duplicate key',
    in: 'inventory/site-a.yaml',
    inventory: inventory(`${r1()}  ‸r1:\n    address: 127.0.0.2\n`),
    path: '',
    message: 'duplicate key: this key already appears earlier in the same mapping',
  },
  {
    name: 'unknown host field',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    ‸adress: 127.0.0.3\n')),
    path: 'hosts.r1.adress',
    message:
      'unknown field "adress"; expected one of: address, console, credentials, data, family, groups, platform, port, site, snmp, ssh, transport',
  },
  {
    name: 'unknown top-level field',
    in: 'inventory/site-a.yaml',
    inventory: `‸host:\n  r9: {}\n${inventory(r1())}`,
    path: 'host',
    message: 'unknown field "host"; expected one of: $schema, credentials, defaults, groups, hosts',
  },
  {
    name: 'port of the wrong type',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1().replace('port: PORT', 'port: ‸"22x"')),
    path: 'hosts.r1.port',
    message: 'expected number, found "22x"',
  },
  {
    name: 'port out of range',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1().replace('port: PORT', 'port: ‸70000')),
    path: 'hosts.r1.port',
    message: 'expected a number <= 65535, found 70000',
  },
  {
    name: 'IPv4 octet over 255',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('', '‸10.0.0.300')),
    path: 'hosts.r1.address',
    message: 'expected an IPv4 or IPv6 address or a host name, found "10.0.0.300"',
  },
  {
    name: 'IPv6 with two ::',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('', '‸2001:db8::1::2')),
    path: 'hosts.r1.address',
    message: 'expected an IPv4 or IPv6 address or a host name, found "2001:db8::1::2"',
  },
  {
    name: 'IPv6 with a 5-digit group',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('', '‸2001:db8::12345')),
    path: 'hosts.r1.address',
    message: 'expected an IPv4 or IPv6 address or a host name, found "2001:db8::12345"',
  },
  {
    name: 'missing address',
    in: 'inventory/site-a.yaml',
    inventory: inventory(`  r1:\n    ‸port: PORT\n`),
    path: 'hosts.r1.address',
    message: 'required field is missing (expected string)',
  },
  {
    name: 'unknown group',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1().replace('groups: [core]', 'groups: [core, ‸edge]')),
    path: 'hosts.r1.groups[1]',
    message: 'unknown group "edge"; known groups: core',
  },
  {
    name: 'group cycle',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1(), `  a:\n    groups: [b]\n  b:\n    groups: [‸a]\n`).replace(
      'groups:\n  core:',
      'groups:\n  core:',
    ),
    path: 'groups.b.groups[0]',
    message: 'group cycle: a -> b -> a',
  },
  {
    name: 'unknown credentials set',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1().replace('credentials: lab', 'credentials: ‸prod')),
    path: 'hosts.r1.credentials',
    message: 'unknown credentials set "prod"; known sets: lab',
  },
  {
    name: 'unknown transport',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    transport: ‸ssh2\n')),
    path: 'hosts.r1.transport',
    message: 'expected one of "ssh", "telnet", found "ssh2"',
  },
  {
    name: 'address family 5',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    family: ‸5\n')),
    path: 'hosts.r1.family',
    message: 'expected 4 or 6, found 5',
  },
  {
    name: 'SNMP v2c without community',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    snmp:\n      ‸version: 2c\n')),
    path: 'hosts.r1.snmp.community',
    message: 'required for SNMP v2c',
  },
  {
    name: 'SNMP version 1',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    snmp:\n      version: ‸1\n      community: { env: C }\n')),
    path: 'hosts.r1.snmp.version',
    message: 'expected SNMP version "2c" or 3, found 1',
  },
  {
    name: 'SNMP v3 authPriv without privKey',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    snmp:\n      ‸version: 3\n      user: netops\n      authKey: { env: A }\n')),
    path: 'hosts.r1.snmp.privKey',
    message: 'required for SNMP v3 authPriv',
  },
  {
    name: 'console without port',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    console: ‸{ host: 127.0.0.1 }\n')),
    path: 'hosts.r1.console.port',
    message: 'required field is missing (expected number)',
  },
  {
    name: 'secret reference misspelt',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1()).replace(
      'password: { env: NETOPS_TEST_PW }',
      'password: ‸{ envv: NETOPS_TEST_PW }',
    ),
    path: 'credentials.lab.password',
    message:
      'expected a secret reference: { env: NAME } or { file: PATH } (or, with a warning, a plain string), found a mapping',
  },
  {
    name: 'secret env variable not set',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1()).replace(
      'password: { env: NETOPS_TEST_PW }',
      'password: ‸{ env: NETOPS_TEST_PW }',
    ),
    env: { NETOPS_TEST_PW: undefined },
    path: 'credentials.lab.password',
    message: 'environment variable NETOPS_TEST_PW is not set',
  },
  {
    name: 'secret file unreadable',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1()).replace(
      'password: { env: NETOPS_TEST_PW }',
      'password: ‸{ file: ../secrets/missing }',
    ),
    path: 'credentials.lab.password',
    message: 'secret file DIR/secrets/missing cannot be read (ENOENT)',
  },
  {
    name: 'host name with a space',
    in: 'inventory/site-a.yaml',
    inventory: inventory(`  ‸"r 1":\n    address: 127.0.0.1\n`),
    path: 'hosts.r 1',
    message:
      'expected a name made of letters, digits and _ . @ - (up to 63, starting with a letter or digit), found "r 1"',
  },
  {
    name: 'groups not a list',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1().replace('groups: [core]', 'groups: ‸core')),
    path: 'hosts.r1.groups',
    message: 'expected a list, found "core"',
  },
  {
    name: 'data not a mapping',
    in: 'inventory/site-a.yaml',
    inventory: inventory(r1('    data: ‸5\n')),
    path: 'hosts.r1.data',
    message: 'expected a mapping, found 5',
  },
  {
    name: 'host defined in two files',
    in: 'inventory/site-b.yaml',
    files: { 'inventory/site-b.yaml': `hosts:\n  ‸r1:\n    address: 127.0.0.9\n` },
    job: job().replace(
      'inventory: ../inventory/site-a.yaml',
      'inventory: [../inventory/site-a.yaml, ../inventory/site-b.yaml]',
    ),
    path: 'hosts.r1',
    message: 'host "r1" is already defined at inventory/site-a.yaml:11',
  },
  {
    name: 'unknown task',
    in: 'jobs/job.yaml',
    job: job('  - task: ‸backupp\n'),
    path: 'steps[0].task',
    message: 'unknown task "backupp"; known tasks: TASKS',
  },
  {
    name: 'unknown task parameter',
    in: 'jobs/job.yaml',
    job: job('  - task: reachable\n    params:\n      ‸prots: [22]\n'),
    path: 'steps[0].params.prots',
    message: 'unknown field "prots"; expected one of: families, ports, require, timeoutMs',
  },
  {
    name: 'task parameter of the wrong type',
    in: 'jobs/job.yaml',
    job: job('  - task: reachable\n    params:\n      ports: [‸"ssh"]\n'),
    path: 'steps[0].params.ports[0]',
    message: 'expected number, found "ssh"',
  },
  {
    name: 'task parameter out of its set',
    in: 'jobs/job.yaml',
    job: job('  - task: reachable\n    params:\n      require: ‸most\n'),
    path: 'steps[0].params.require',
    message: 'expected one of "all", "any", found "most"',
  },
  {
    name: 'no steps',
    in: 'jobs/job.yaml',
    job: '‸inventory: ../inventory/site-a.yaml\n',
    path: 'steps',
    message: 'required field is missing (expected a list)',
  },
  {
    name: 'empty steps',
    in: 'jobs/job.yaml',
    job: 'inventory: ../inventory/site-a.yaml\nsteps: ‸[]\n',
    path: 'steps',
    message: 'expected a list of length >= 1, found an empty list',
  },
  {
    name: 'concurrency 0',
    in: 'jobs/job.yaml',
    job: job(undefined, 'concurrency: ‸0\n'),
    path: 'concurrency',
    message: 'expected a number >= 1, found 0',
  },
  {
    name: 'duration without a unit',
    in: 'jobs/job.yaml',
    job: job('  - task: reachable\n    timeout: ‸5 minutes\n'),
    path: 'steps[0].timeout',
    message:
      'expected a duration: seconds as a number, or a string such as "500ms", "30s", "5m", found "5 minutes"',
  },
  {
    name: 'unknown job field',
    in: 'jobs/job.yaml',
    job: job(undefined, '‸limits: core\n'),
    path: 'limits',
    message:
      'unknown field "limits"; expected one of: $schema, concurrency, confirm, description, inventory, limit, name, records, retries, steps, threads, timeouts',
  },
  {
    name: 'inventory file missing',
    in: 'jobs/job.yaml',
    job: job().replace('inventory: ../inventory/site-a.yaml', 'inventory: ‸../inventory/nope.yaml'),
    path: 'inventory',
    message: 'inventory file "../inventory/nope.yaml" does not exist',
  },
  {
    name: 'job duplicate key',
    in: 'jobs/job.yaml',
    job: job(undefined, 'concurrency: 2\n‸concurrency: 3\n'),
    path: '',
    message: 'duplicate key: this key already appears earlier in the same mapping',
  },
];

const device = useStarted(() => countingListener('127.0.0.1'));
const dir = useTempDir('netops-invalid-');
let knownTasks: string;

beforeAll(async () => {
  const { tasks } = await import('../../src/tasks/registry.js');
  knownTasks = Object.keys(tasks).sort().join(', ');
});

describe('invalid inventory and job files', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('$name', async (c) => {
    const root = await mkdtemp(path.join(dir, 'case-'));
    const files: Record<string, string> = {
      'inventory/site-a.yaml': c.inventory ?? inventory(r1()),
      'jobs/job.yaml': c.job ?? job(),
      ...c.files,
    };
    let expected: { line: number; col: number } | undefined;
    for (const [name, raw] of Object.entries(files)) {
      const placed = place(raw.replaceAll('PORT', String(device.port)));
      if (name === c.in) expected = placed;
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), placed?.text ?? raw.replaceAll('PORT', String(device.port)));
    }
    expect(expected, `the fixture for ${c.in} has a ${marker} marker`).toBeDefined();
    await mkdir(path.join(root, 'secrets'), { recursive: true });
    await chmod(path.join(root, 'secrets'), 0o700);

    const before = device.connections();
    const result = await runNetops(['run', 'jobs/job.yaml', ...(c.args ?? [])], {
      cwd: root,
      env: { NETOPS_TEST_PW: 'pw-for-tests', ...c.env },
    });

    const message = c.message.replace('TASKS', knownTasks).replace('DIR', root);
    const where = `${c.in}:${expected!.line}:${expected!.col}`;
    expect(result.stderr).toContain(`${where} ${c.path ? `${c.path}: ` : ''}${message}`);
    expect(result.stderr).toMatch(/hint: /);
    expect(result.code).toBe(2);
    expect(device.connections()).toBe(before);
    expect(result.stdout).toBe('');
  });
});
