/**
 * The cases of the bad-input corpus (malformed-corpus.test.ts runs them through `netops run`;
 * yaml-fast.test.ts reads their files both ways). `‸` marks where the error must point and PORT
 * stands for the test device's port; both are replaced before a file is written.
 */
export const marker = '‸';

/** The text without its marker, and the 1-based line and column the marker stood at. */
export function place(text: string): { text: string; line: number; col: number } | undefined {
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  const before = text.slice(0, at).split('\n');
  return { text: text.replace(marker, ''), line: before.length, col: before[before.length - 1]!.length + 1 };
}
export type Where = 'inv' | 'job' | 'inv2';
export const fileOf: Record<Where, string> = {
  inv: 'inventory/site-a.yaml',
  job: 'jobs/job.yaml',
  inv2: 'inventory/site-b.yaml',
};

export interface Case {
  readonly name: string;
  /** Replaces the inventory, job, or second inventory file. */
  readonly inv?: string;
  readonly job?: string;
  readonly inv2?: string;
  /** Extra files and folders (a trailing / makes a folder), relative to the case folder. */
  readonly extra?: Record<string, string>;
  readonly args?: readonly string[];
  /** The file holding the marker; absent for command-line mistakes. */
  readonly in?: Where;
  /** Text the error must contain. */
  readonly says: string;
}

export const inv = (
  hosts = '  r1: { address: 127.0.0.1, port: PORT, groups: [core], credentials: lab }\n',
  top = '',
) =>
  `${top}credentials:
  lab: { username: admin, password: { env: NETOPS_CORPUS_PW } }
groups:
  core: { platform: ios }
hosts:
${hosts}`;
const host = (fields: string) => inv(`  r1: { address: 127.0.0.1, port: PORT, ${fields} }\n`);
export const job = (top = '', steps = '  - task: reachable\n') => `inventory: ../inventory/site-a.yaml
${top}steps:
${steps}`;
const step = (text: string) => job('', text);

const yamlCases: Case[] = [
  {
    name: 'unclosed flow list',
    in: 'inv',
    inv: inv(`  r1: { address: 127.0.0.1, groups: [core ‸}\n`),
    says: 'YAML syntax error',
  },
  {
    name: 'unclosed double quote',
    in: 'inv',
    inv: inv(`  r1: { address: "127.0.0.1 }\n‸`),
    says: 'YAML syntax error',
  },
  {
    name: 'tab indentation',
    in: 'inv',
    inv: inv(`  r1:\n‸\taddress: 127.0.0.1\n`),
    says: 'Tabs are not allowed',
  },
  {
    name: 'duplicate host key',
    in: 'inv',
    inv: inv(`  r1: { address: 127.0.0.1 }\n  ‸r1: { address: 127.0.0.2 }\n`),
    says: 'duplicate key',
  },
  { name: 'duplicate top-level key', in: 'inv', inv: `${inv()}‸hosts: {}\n`, says: 'duplicate key' },
  { name: 'duplicate key in a flow mapping', in: 'inv', inv: host('‸port: 23'), says: 'duplicate key' },
  {
    name: 'duplicate job key',
    in: 'job',
    job: job('concurrency: 2\n‸concurrency: 3\n'),
    says: 'duplicate key',
  },
  { name: 'undefined alias', in: 'inv', inv: host('platform: ‸*plat'), says: 'undefined alias *plat' },
  {
    name: 'alias before its anchor',
    in: 'inv',
    inv: inv(
      `  r1: { address: 127.0.0.1, port: PORT, data: { a: ‸*late } }\n  r2: { address: 127.0.0.2, data: { b: &late 1 } }\n`,
    ),
    says: 'undefined alias *late',
  },
  { name: 'undefined alias in a job', in: 'job', job: job('concurrency: ‸*n\n'), says: 'undefined alias *n' },
  {
    name: 'second document',
    in: 'inv',
    inv: `${inv()}‸---\nhosts: {}\n`,
    says: 'a second YAML document starts here',
  },
  { name: 'second document in a job', in: 'job', job: `${job()}‸---\n`, says: 'a second YAML document' },
  {
    name: 'scalar as a job file',
    in: 'job',
    job: '‸nightly backup please\n',
    says: 'expected a mapping of `key: value` lines',
  },
  { name: 'list as a job file', in: 'job', job: '‸- task: backup\n', says: 'found a list' },
  { name: 'number as an inventory file', in: 'inv', inv: '‸42\n', says: 'found the number 42' },
  { name: 'scalar as an inventory file', in: 'inv', inv: '‸r1 127.0.0.1\n', says: 'expected a mapping' },
  {
    name: 'billion laughs',
    in: 'inv',
    inv: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b ‸[*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`.replace(
      '‸[*a',
      '[‸*a',
    ),
    says: 'aliases expand to more than',
  },
  {
    name: 'bad escape in a double-quoted string',
    in: 'inv',
    inv: host('data: { note: "a‸\\q" }'),
    says: 'YAML syntax error',
  },
  {
    name: 'mapping value where a plain scalar continues',
    in: 'job',
    job: `inventory: ../inventory/site-a.yaml\nname: ‸a: b\nsteps: []\n`.replace('‸a', '‸a'),
    says: 'YAML syntax error',
  },
  {
    name: 'unclosed flow mapping in a job',
    in: 'job',
    job: `inventory: ../inventory/site-a.yaml\nsteps: [{ task: reachable\n‸`,
    says: 'YAML syntax error',
  },
];

const inventoryCases: Case[] = [
  {
    name: 'unknown platform on a host',
    in: 'inv',
    inv: host('platform: ‸junos'),
    says: 'expected one of "ios", "nxos", "frr", found "junos"',
  },
  {
    name: 'unknown platform on a group',
    in: 'inv',
    inv: inv(undefined).replace('core: { platform: ios }', 'core: { platform: ‸ios-xr }'),
    says: 'found "ios-xr"',
  },
  {
    name: 'unknown platform in defaults',
    in: 'inv',
    inv: inv(undefined, 'defaults:\n  platform: ‸eos\n'),
    says: 'found "eos"',
  },
  { name: 'platform in upper case', in: 'inv', inv: host('platform: ‸IOS'), says: 'found "IOS"' },
  {
    name: 'backupMethods naming ftp',
    in: 'inv',
    inv: host('data: { backupMethods: [show, ‸ftp] }'),
    says: 'found "ftp"',
  },
  {
    name: 'backupMethods as a string',
    in: 'inv',
    inv: host('data: { backupMethods: ‸show }'),
    says: 'expected a list, found "show"',
  },
  {
    name: 'backupMethods empty',
    in: 'inv',
    inv: host('data: { backupMethods: ‸[] }'),
    says: 'expected a list of length >= 1',
  },
  {
    name: 'backupMethods in group data',
    in: 'inv',
    inv: inv(undefined).replace(
      'core: { platform: ios }',
      'core: { platform: ios, data: { backupMethods: [‸scp] } }',
    ),
    says: 'found "scp"',
  },
  {
    name: 'port 0',
    in: 'inv',
    inv: host('port: ‸0').replace('port: PORT, ', ''),
    says: 'expected a number >= 1, found 0',
  },
  { name: 'port 65536', in: 'inv', inv: host('port: ‸65536').replace('port: PORT, ', ''), says: '<= 65535' },
  {
    name: 'negative port',
    in: 'inv',
    inv: host('port: ‸-22').replace('port: PORT, ', ''),
    says: 'found -22',
  },
  {
    name: 'port with a fraction',
    in: 'inv',
    inv: host('port: ‸22.5').replace('port: PORT, ', ''),
    says: 'found 22.5',
  },
  {
    name: 'address empty',
    in: 'inv',
    inv: inv(`  r1: { address: ‸"", port: PORT }\n`),
    says: 'expected an IPv4 or IPv6 address or a host name',
  },
  {
    name: 'address with a space',
    in: 'inv',
    inv: inv(`  r1: { address: ‸10.0.0.1 10.0.0.2, port: PORT }\n`),
    says: 'found "10.0.0.1 10.0.0.2"',
  },
  {
    name: 'address with a port',
    in: 'inv',
    inv: inv(`  r1: { address: ‸"127.0.0.1:22" }\n`),
    says: 'found "127.0.0.1:22"',
  },
  { name: 'address a number', in: 'inv', inv: inv(`  r1: { address: ‸17 }\n`), says: 'found 17' },
  {
    name: 'IPv6 with a zone and garbage',
    in: 'inv',
    inv: inv(`  r1: { address: ‸"fe80::1%%" }\n`),
    says: 'found "fe80::1%%"',
  },
  { name: 'family six', in: 'inv', inv: host('family: ‸six'), says: 'expected 4 or 6, found "six"' },
  {
    name: 'transport ftp',
    in: 'inv',
    inv: host('transport: ‸ftp'),
    says: 'expected one of "ssh", "telnet", found "ftp"',
  },
  {
    name: 'console host invalid',
    in: 'inv',
    inv: host('console: { host: ‸"not a host", port: 2001 }'),
    says: 'found "not a host"',
  },
  { name: 'console port 0', in: 'inv', inv: host('console: { host: 127.0.0.1, port: ‸0 }'), says: 'found 0' },
  {
    name: 'SNMP version 1',
    in: 'inv',
    inv: host('snmp: { version: ‸1, community: { env: C } }'),
    says: 'expected SNMP version "2c" or 3',
  },
  {
    name: 'SNMP community empty',
    in: 'inv',
    inv: host('snmp: { version: 2c, community: ‸"" }'),
    says: 'expected a string of length >= 1, found ""',
  },
  {
    name: 'SNMP v3 without user',
    in: 'inv',
    inv: host('snmp: ‸{ version: 3, level: noAuthNoPriv }'),
    says: 'required for SNMP v3',
  },
  {
    name: 'SNMP auth protocol md4',
    in: 'inv',
    inv: host('snmp: { version: 3, user: u, level: authNoPriv, authKey: { env: A }, authProtocol: ‸md4 }'),
    says: 'found "md4"',
  },
  {
    name: 'SNMP level wrong',
    in: 'inv',
    inv: host('snmp: { version: 3, user: u, level: ‸authOnly }'),
    says: 'found "authOnly"',
  },
  {
    name: 'SNMP unknown field',
    in: 'inv',
    inv: host('snmp: { version: 2c, community: { env: C }, ‸comunity: x }'),
    says: 'unknown field "comunity"',
  },
  {
    name: 'credentials without username',
    in: 'inv',
    inv: inv().replace('lab: { username: admin, password', 'lab: ‸{ password'),
    says: 'required field is missing',
  },
  {
    name: 'credentials password empty',
    in: 'inv',
    inv: inv().replace('password: { env: NETOPS_CORPUS_PW }', 'password: ‸""'),
    says: 'expected a string of length >= 1',
  },
  {
    name: 'secret env name with a dash',
    in: 'inv',
    inv: inv().replace('password: { env: NETOPS_CORPUS_PW }', 'password: { env: ‸MY-PW }'),
    says: 'expected an environment variable name (letters, digits and _), found "MY-PW"',
  },
  {
    name: 'secret with env and file',
    in: 'inv',
    inv: inv().replace('password: { env: NETOPS_CORPUS_PW }', 'password: ‸{ env: A, file: b }'),
    says: 'expected a secret reference',
  },
  {
    name: 'secret env not set',
    in: 'inv',
    inv: inv().replace('password: { env: NETOPS_CORPUS_PW }', 'password: ‸{ env: NETOPS_CORPUS_UNSET }'),
    says: 'NETOPS_CORPUS_UNSET is not set',
  },
  {
    name: 'secret file missing',
    in: 'inv',
    inv: inv().replace('password: { env: NETOPS_CORPUS_PW }', 'password: ‸{ file: ../secrets/none }'),
    says: 'cannot be read',
  },
  {
    name: 'credentials unknown field',
    in: 'inv',
    inv: inv().replace('username: admin,', 'username: admin, ‸user: x,'),
    says: 'unknown field "user"',
  },
  {
    name: 'ssh option not a boolean',
    in: 'inv',
    inv: host('ssh: { legacyAlgorithms: ‸"yes" }'),
    says: 'expected boolean, found "yes"',
  },
  {
    name: 'ssh unknown field',
    in: 'inv',
    inv: host('ssh: { ‸ciphers: [aes] }'),
    says: 'unknown field "ciphers"',
  },
  {
    name: 'group list holding a number',
    in: 'inv',
    inv: host('groups: [‸5]'),
    says: 'expected string, found 5',
  },
  {
    name: 'host name with a slash',
    in: 'inv',
    inv: inv(`  ‸r1/a: { address: 127.0.0.1 }\n`),
    says: 'expected a name made of',
  },
  {
    name: 'group name starting with a dash',
    in: 'inv',
    inv: inv(undefined).replace('core: { platform: ios }', 'core: { platform: ios }\n  ‸-x: {}'),
    says: 'expected a name made of',
  },
  {
    name: 'credentials name with a space',
    in: 'inv',
    inv: inv().replace('  lab: {', '  ‸"la b": {').replace('credentials: lab', 'credentials: core'),
    says: 'expected a name made of',
  },
  { name: 'data a list', in: 'inv', inv: host('data: ‸[a, b]'), says: 'expected a mapping, found a list' },
  {
    name: 'defaults unknown field',
    in: 'inv',
    inv: inv(undefined, 'defaults:\n  ‸timeout: 5\n'),
    says: 'unknown field "timeout"',
  },
  {
    name: 'group unknown field',
    in: 'inv',
    inv: inv(undefined).replace('core: { platform: ios }', 'core: { platform: ios, ‸hosts: [r1] }'),
    says: 'unknown field "hosts"',
  },
  { name: 'hosts a list', in: 'inv', inv: `hosts:\n  ‸- r1\n`, says: 'expected a mapping, found a list' },
  {
    name: 'groups a list',
    in: 'inv',
    inv: inv()
      .replace('groups:\n  core: { platform: ios }', 'groups: ‸[core]')
      .replace('groups: [core], ', ''),
    says: 'expected a mapping, found a list',
  },
  {
    name: 'host a scalar',
    in: 'inv',
    inv: inv(`  r1: ‸127.0.0.1\n`),
    says: 'expected a mapping, found "127.0.0.1"',
  },
  {
    name: 'host null',
    in: 'inv',
    inv: inv(`  r0: { address: 127.0.0.9 }\n  r1:‸\n`),
    says: 'expected a mapping, found null',
  },
  { name: 'unknown group', in: 'inv', inv: host('groups: [core, ‸edge]'), says: 'unknown group "edge"' },
  {
    name: 'group cycle',
    in: 'inv',
    inv: inv().replace(
      'core: { platform: ios }',
      'core: { platform: ios, groups: [ring] }\n  ring: { groups: [‸core] }',
    ),
    says: 'group cycle',
  },
  {
    name: 'unknown credentials set',
    in: 'inv',
    inv: host('credentials: ‸prod'),
    says: 'unknown credentials set "prod"',
  },
  {
    name: 'host in two files',
    in: 'inv2',
    inv2: `hosts:\n  ‸r1: { address: 127.0.0.3 }\n`,
    job: job().replace(
      'inventory: ../inventory/site-a.yaml',
      'inventory: [../inventory/site-a.yaml, ../inventory/site-b.yaml]',
    ),
    says: 'host "r1" is already defined',
  },
  {
    name: 'defaults in two files',
    in: 'inv2',
    inv: inv(undefined, 'defaults:\n  port: 22\n'),
    inv2: `defaults:\n  ‸port: 23\n`,
    job: job().replace(
      'inventory: ../inventory/site-a.yaml',
      'inventory: [../inventory/site-a.yaml, ../inventory/site-b.yaml]',
    ),
    says: 'defaults.port is already set',
  },
  {
    name: 'inventory without hosts',
    in: 'inv',
    inv: `credentials: {}\nhosts: ‸{}\n`,
    says: 'defines no hosts',
  },
  { name: 'inventory that is empty', in: 'inv', inv: `‸# nothing yet\n`, says: 'defines no hosts' },
  {
    name: 'a value of more than 1 MiB (a blob pasted into the inventory)',
    in: 'inv',
    inv: host(`data: { ‸note: ${'x'.repeat(2 ** 20 + 1)} }`),
    says: 'a value longer than 1 MiB starts here',
  },
  { name: 'unknown top-level field', in: 'inv', inv: `${inv()}‸host: {}\n`, says: 'unknown field "host"' },
];

const jobCases: Case[] = [
  {
    name: 'records naming a file',
    in: 'job',
    job: job('records: ‸../inventory/site-a.yaml\n'),
    says: 'is a file; a folder is needed here',
  },
  {
    name: 'records under a file',
    in: 'job',
    job: job('records: ‸../inventory/site-a.yaml/runs\n'),
    says: 'cannot be used (ENOTDIR)',
  },
  { name: 'records empty', in: 'job', job: job('records: ‸""\n'), says: 'found ""' },
  {
    name: 'store.dir naming a file',
    in: 'job',
    job: job('store:\n  dir: ‸../inventory/site-a.yaml\n'),
    says: 'is a file; a folder is needed here',
  },
  {
    name: 'store.dir a non-git folder with files',
    in: 'job',
    job: job('store:\n  dir: ‸../inventory\n'),
    says: 'is not empty and is not a git repository',
  },
  { name: 'store.dir empty', in: 'job', job: job('store:\n  dir: ‸""\n'), says: 'found ""' },
  {
    name: 'store without dir',
    in: 'job',
    job: job('store:\n  ‸sanitize: true\n'),
    says: 'required field is missing',
  },
  {
    name: 'store unknown field',
    in: 'job',
    job: job('store:\n  dir: backups\n  ‸path: x\n'),
    says: 'unknown field "path"',
  },
  {
    name: 'store allowShrink yes',
    in: 'job',
    job: job('store:\n  dir: backups\n  allowShrink: ‸"yes"\n'),
    says: 'expected true, false or a list of host names',
  },
  {
    name: 'store author without email',
    in: 'job',
    job: job('store:\n  dir: backups\n  author: ‸{ name: netops }\n'),
    says: 'required field is missing',
  },
  {
    name: 'tftp listen host name',
    in: 'job',
    job: job('tftp:\n  listen: [‸"tftp.example:69"]\n'),
    says: 'tftp.listen[0]',
  },
  {
    name: 'tftp advertise IPv6 as ipv4',
    in: 'job',
    job: job('tftp:\n  advertise: { ipv4: ‸"2001:db8::1" }\n'),
    says: 'expected an IPv4 address',
  },
  { name: 'tftp timeout 0', in: 'job', job: job('tftp:\n  timeout: ‸0\n'), says: 'found 0' },
  { name: 'tftp timeout 4000', in: 'job', job: job('tftp:\n  timeout: ‸4000\n'), says: 'found 4000' },
  { name: 'tftp maxTransfers 0', in: 'job', job: job('tftp:\n  maxTransfers: ‸0\n'), says: 'found 0' },
  {
    name: 'tftp allow bad prefix',
    in: 'job',
    job: job('tftp:\n  allow: [‸10.0.0.0/33]\n'),
    says: 'expected an address prefix',
  },
  { name: 'tftp unknown field', in: 'job', job: job('tftp:\n  ‸port: 69\n'), says: 'unknown field "port"' },
  {
    name: 'notify webhook not http',
    in: 'job',
    job: job('notify:\n  webhook: { url: ‸"ftp://x" }\n'),
    says: 'expected an http:// or https:// URL',
  },
  {
    name: 'notify on unknown event',
    in: 'job',
    job: job('notify:\n  on: [‸always]\n  webhook: { url: "https://x.example" }\n'),
    says: 'found "always"',
  },
  {
    name: 'timeouts.step 0s',
    in: 'job',
    job: job('timeouts:\n  step: ‸0s\n'),
    says: 'expected a duration between 1ms and 24h, found "0s"',
  },
  {
    name: 'timeouts.step 600h',
    in: 'job',
    job: job('timeouts:\n  step: ‸600h\n'),
    says: 'expected a duration between 1ms and 24h, found "600h"',
  },
  {
    name: 'timeouts.step a month in seconds',
    in: 'job',
    job: job('timeouts:\n  step: ‸2678400\n'),
    says: 'between 1ms and 24h',
  },
  {
    name: 'timeouts.step negative',
    in: 'job',
    job: job('timeouts:\n  step: ‸-5\n'),
    says: 'between 1ms and 24h',
  },
  {
    name: 'timeouts.connect 0.0001 s',
    in: 'job',
    job: job('timeouts:\n  connect: ‸0.0001\n'),
    says: 'between 1ms and 24h',
  },
  {
    name: 'timeouts.connect 25h',
    in: 'job',
    job: job('timeouts:\n  connect: ‸25h\n'),
    says: 'between 1ms and 24h',
  },
  {
    name: 'timeouts.step in days',
    in: 'job',
    job: job('timeouts:\n  step: ‸2d\n'),
    says: 'expected a duration',
  },
  {
    name: 'timeouts unknown field',
    in: 'job',
    job: job('timeouts:\n  ‸total: 5m\n'),
    says: 'unknown field "total"',
  },
  { name: 'retries.count 11', in: 'job', job: job('retries:\n  count: ‸11\n'), says: 'found 11' },
  {
    name: 'retries.backoff 0ms',
    in: 'job',
    job: job('retries:\n  backoff: ‸0ms\n'),
    says: 'between 1ms and 24h',
  },
  {
    name: 'notify webhook timeout 48h',
    in: 'job',
    job: job('notify:\n  webhook: { url: "https://x.example", timeout: ‸48h }\n'),
    says: 'between 1ms and 24h',
  },
  { name: 'concurrency 0', in: 'job', job: job('concurrency: ‸0\n'), says: 'found 0' },
  { name: 'concurrency 10001', in: 'job', job: job('concurrency: ‸10001\n'), says: 'found 10001' },
  { name: 'concurrency many', in: 'job', job: job('concurrency: ‸many\n'), says: 'found "many"' },
  {
    name: 'steps empty',
    in: 'job',
    job: 'inventory: ../inventory/site-a.yaml\nsteps: ‸[]\n',
    says: 'expected a list of length >= 1',
  },
  {
    name: 'steps missing',
    in: 'job',
    job: '‸inventory: ../inventory/site-a.yaml\n',
    says: 'required field is missing (expected a list)',
  },
  {
    name: 'steps a mapping',
    in: 'job',
    job: 'inventory: ../inventory/site-a.yaml\nsteps:\n  ‸task: reachable\n',
    says: 'expected a list, found a mapping',
  },
  { name: 'step without task', in: 'job', job: step('  - ‸name: ping\n'), says: 'required field is missing' },
  {
    name: 'step unknown field',
    in: 'job',
    job: step('  - task: reachable\n    ‸param: {}\n'),
    says: 'unknown field "param"',
  },
  {
    name: 'step timeout 0',
    in: 'job',
    job: step('  - task: reachable\n    timeout: ‸0\n'),
    says: 'between 1ms and 24h',
  },
  {
    name: 'step retries -1',
    in: 'job',
    job: step('  - task: reachable\n    retries: ‸-1\n'),
    says: 'found -1',
  },
  { name: 'unknown task', in: 'job', job: step('  - task: ‸ping\n'), says: 'unknown task "ping"' },
  {
    name: 'task name a list',
    in: 'job',
    job: step('  - task: ‸[backup]\n'),
    says: 'expected string, found a list',
  },
  {
    name: 'reachable ports as text',
    in: 'job',
    job: step('  - task: reachable\n    params: { ports: ‸"22" }\n'),
    says: 'found "22"',
  },
  {
    name: 'reachable port 0',
    in: 'job',
    job: step('  - task: reachable\n    params: { ports: [‸0] }\n'),
    says: 'found 0',
  },
  {
    name: 'reachable unknown param',
    in: 'job',
    job: step('  - task: reachable\n    params: { ‸port: 22 }\n'),
    says: 'unknown field "port"',
  },
  {
    name: 'reachable families ipv5',
    in: 'job',
    job: step('  - task: reachable\n    params: { families: [‸ipv5] }\n'),
    says: 'found "ipv5"',
  },
  {
    name: 'params a list',
    in: 'job',
    job: step('  - task: reachable\n    params: ‸[a]\n'),
    says: 'expected a mapping, found a list',
  },
  {
    name: 'backup method ftp',
    in: 'job',
    job: step('  - task: backup\n    params: { method: ‸ftp }\n'),
    says: 'steps[0].params.method',
  },
  {
    name: 'backup order empty',
    in: 'job',
    job: step('  - task: backup\n    params: { order: ‸[] }\n'),
    says: 'expected a list of length >= 1',
  },
  {
    name: 'backup upload time-out 50 ms',
    in: 'job',
    job: step('  - task: backup\n    params: { uploadTimeoutMs: ‸50 }\n'),
    says: 'found 50',
  },
  {
    name: 'inventory missing',
    in: 'job',
    job: job().replace('inventory: ../inventory/site-a.yaml', 'inventory: ‸../inventory/nope.yaml'),
    says: 'does not exist',
  },
  {
    name: 'inventory an empty list',
    in: 'job',
    job: job().replace('inventory: ../inventory/site-a.yaml', 'inventory: ‸[]'),
    says: 'expected a list of length >= 1, found an empty list',
  },
  {
    name: 'inventory a number',
    in: 'job',
    job: job().replace('inventory: ../inventory/site-a.yaml', 'inventory: ‸7'),
    says: 'expected an inventory file path',
  },
  {
    name: 'inventory a folder',
    in: 'inv',
    inv: '',
    extra: { 'inventory/site-a.yaml/': '' },
    says: 'it is a folder',
  },
  {
    name: 'limit a number',
    in: 'job',
    job: job('limit: ‸5\n'),
    says: 'expected a pattern or a list of patterns',
  },
  { name: 'confirm yes', in: 'job', job: job('confirm: ‸"yes"\n'), says: 'expected boolean, found "yes"' },
  {
    name: 'trustNewHostKeys a string',
    in: 'job',
    job: job('trustNewHostKeys: ‸"no"\n'),
    says: 'expected boolean',
  },
  { name: 'name empty', in: 'job', job: job('name: ‸""\n'), says: 'found ""' },
  { name: 'unknown job field', in: 'job', job: job('‸limits: core\n'), says: 'unknown field "limits"' },
];

const cliCases: Case[] = [
  { name: '--limit selecting nothing', args: ['--limit', 'r9'], says: 'the limit "r9" selects no host' },
  { name: '--limit with only exclusions of everything', args: ['--limit', '!r*'], says: 'selects no host' },
  { name: '--concurrency 0', args: ['--concurrency', '0'], says: 'concurrency' },
  { name: '--concurrency text', args: ['--concurrency', 'lots'], says: 'concurrency' },
  { name: 'unknown option', args: ['--frobnicate'], says: "unknown option '--frobnicate'" },
  { name: '--inventory missing', args: ['--inventory', 'nope.yaml'], says: 'no such file' },
];

export const cases: Case[] = [...yamlCases, ...inventoryCases, ...jobCases, ...cliCases];
