/**
 * The direct check of plain hosts (inventory-fast-check.ts) against zod: the same data for a valid
 * inventory, and for every value the host schema refuses the same refusal, worded by zod with the
 * position of the value in the file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryVocabulary } from '../../src/cli/load.js';
import { ConfigInvalidError } from '../../src/config/diagnostics.js';
import { loadInventory, type Inventory } from '../../src/config/inventory.js';
import { parseInventoryFile } from '../../src/config/inventory-fast-check.js';
import { inventoryFileSchema } from '../../src/config/inventory-schema.js';
import { YamlSource } from '../../src/config/yaml-source.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-inv-fast-');
const vocabulary = await inventoryVocabulary();
const schema = inventoryFileSchema(vocabulary);

const head = `defaults: { transport: ssh, credentials: noc }
credentials:
  noc: { username: netops, password: { env: NETOPS_FAST_PW } }
groups:
  ios: { platform: ios }
  site-a: { data: { site: a } }
hosts:
`;

/** Host lines of every plain form: IPv4, IPv6, names; each plain field at least once. */
function hostLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const address = [`198.18.${i >> 8}.${i & 255}`, `2001:db8::${i.toString(16)}`, `r${i}.example.net`][
      i % 3
    ];
    const extra = [', port: 2222', ', family: 6', ', site: dc-1', ', transport: telnet', ', platform: nxos'][
      i % 5
    ];
    return `  r${i}: { address: "${address}", groups: [ios, site-a], credentials: noc${extra} }`;
  });
}

/** Host lines with the small objects a lab's (or a real) inventory gives: console, SSH options, SNMP, data. */
function richHostLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const snmp = [
      'snmp: { version: 2c, community: { env: RO }, writeCommunity: { env: RW }, port: 1161 }',
      'snmp: { version: 3, user: u, authKey: { env: A }, privKey: { file: p.key }, privProtocol: aes }',
      'snmp: { version: "3", user: u, level: noAuthNoPriv }',
    ][i % 3];
    return (
      `  r${i}: { address: 198.18.${i >> 8}.${i & 255}, console: { host: 198.18.255.1, port: ${2000 + i} },` +
      ` ssh: { legacyAlgorithms: ${i % 2 === 0} }, ${snmp}, data: { lab: { device: r${i} }, rack: ${i} } }`
    );
  });
}

async function load(lines: readonly string[]): Promise<Inventory | Error> {
  const file = path.join(dir, 'inventory.yaml');
  await writeFile(file, head + lines.join('\n') + '\n');
  return loadInventory([file], vocabulary).catch((error: unknown) => error as Error);
}

describe('plain hosts checked without zod', () => {
  it.each([
    ['every plain field and address form', hostLines],
    ['console, SSH options, SNMP and free-form data', richHostLines],
  ])('give the data zod gives, for hosts with %s', (_, lines) => {
    const data = YamlSource.parse('inventory.yaml', head + lines(300).join('\n')).data as Record<
      string,
      unknown
    >;
    const zod = schema.safeParse(data);
    expect(zod.success).toBe(true);
    expect(parseInventoryFile(schema, data, vocabulary)).toStrictEqual(zod);
  });

  it('loads a thousand hosts with their groups, credentials and fields', async () => {
    const inventory = await load(hostLines(1000));
    if (inventory instanceof Error) throw inventory;
    expect(inventory.hosts.size).toBe(1000);
    const r2 = inventory.hosts.get('r2')!;
    expect([r2.address, r2.platform, r2.transport, r2.site, r2.groups]).toEqual([
      'r2.example.net',
      'ios',
      'ssh',
      'dc-1',
      ['ios', 'site-a'],
    ]);
    expect(inventory.hosts.get('r4')!.platform).toBe('nxos');
  });

  const hosts = { plain: hostLines, rich: richHostLines };
  const refused: readonly (readonly [string, keyof typeof hosts, string, string])[] = [
    ['port 0', 'plain', 'port: 0', 'port'],
    ['port 65536', 'plain', 'port: 65536', 'port'],
    ['port 1.5', 'plain', 'port: 1.5', 'port'],
    ['port as text', 'plain', 'port: "22"', 'port'],
    ['family 5', 'plain', 'family: 5', 'family'],
    ['unknown platform', 'plain', 'platform: junos', 'platform'],
    ['unknown transport', 'plain', 'transport: http', 'transport'],
    ['bad group name', 'plain', 'groups: ["bad name"]', 'groups[0]'],
    ['bad site', 'plain', 'site: -x', 'site'],
    ['bad credentials name', 'plain', 'credentials: "a b"', 'credentials'],
    ['unknown field', 'plain', 'adress: 198.18.9.9', 'adress'],
    ['null field', 'plain', 'platform: null', 'platform'],
    ['field named like an Object method', 'plain', 'constructor: 1', 'constructor'],
    ['field named toString', 'plain', 'toString: x', 'toString'],
    [
      'console with another field',
      'rich',
      'console: { host: 198.18.0.1, port: 2001, user: x }',
      'console.user',
    ],
    ['ssh option not a boolean', 'rich', 'ssh: { trustNewHostKey: "yes" }', 'ssh.trustNewHostKey'],
    ['snmp v2c empty community', 'rich', 'snmp: { version: 2c, community: "" }', 'snmp.community'],
    ['snmp version 2', 'rich', 'snmp: { version: 2, community: { env: RO } }', 'snmp.version'],
    [
      'snmp reference of two kinds',
      'rich',
      'snmp: { version: 2c, community: { env: RO, file: ro.txt } }',
      'snmp.community',
    ],
    ['snmp v2c port 0', 'rich', 'snmp: { version: 2c, community: public, port: 0 }', 'snmp.port'],
    ['console port 0', 'rich', 'console: { host: 198.18.0.1, port: 0 }', 'console.port'],
    ['console without port', 'rich', 'console: { host: 198.18.0.1 }', 'console.port'],
    ['console bad host', 'rich', 'console: { host: "198.18.0", port: 2001 }', 'console.host'],
    ['unknown ssh option', 'rich', 'ssh: { legacy: true }', 'ssh.legacy'],
    ['snmp v2c without community', 'rich', 'snmp: { version: 2c }', 'snmp.community'],
    [
      'snmp v3 authPriv without privKey',
      'rich',
      'snmp: { version: 3, user: u, authKey: { env: A } }',
      'snmp.privKey',
    ],
    [
      'snmp bad secret reference',
      'rich',
      'snmp: { version: 2c, community: { env: "1x" } }',
      'snmp.community.env',
    ],
    ['data not a mapping', 'rich', 'data: [a]', 'data'],
    ['data key a task reads, wrong', 'rich', 'data: { backupMethods: 7 }', 'data.backupMethods'],
  ];
  it.each(refused)(
    '%s at the 700th of %s hosts: refused as zod refuses it, at its line',
    async (_, kind, field, name) => {
      const lines = hosts[kind](1000);
      lines[700] = `  r700: { address: 198.18.9.9, ${field} }`;
      const error = await load(lines);
      expect(error).toBeInstanceOf(ConfigInvalidError);
      const issues = (error as ConfigInvalidError).issues;
      expect(issues.map((i) => [i.pos?.line, i.path])).toEqual([[8 + 700, `hosts.r700.${name}`]]);
    },
  );

  it.each([
    ['bad address', '  r700: { address: "198.18.9" }', 'hosts.r700.address'],
    ['no address', '  r700: { platform: ios }', 'hosts.r700.address'],
    ['bad host name', '  "r 700": { address: 198.18.9.9 }', 'hosts.r 700'],
  ])('%s: refused as zod refuses it, at its line', async (_, line, at) => {
    const lines = hostLines(1000);
    lines[700] = line;
    const error = await load(lines);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    const issues = (error as ConfigInvalidError).issues;
    expect(issues.map((i) => [i.pos?.line, i.path])).toEqual([[8 + 700, at]]);
  });
});
