/**
 * Ansible inventories as netops hosts: the INI and YAML formats (with `group_vars/` and
 * `host_vars/` beside them) and the JSON of `ansible-inventory --list`. Each host's variables are
 * resolved by Ansible's precedence; `ansible_host`, `ansible_port`, `ansible_network_os`,
 * `ansible_connection` and the login variables become netops fields, the rest its `data`.
 */
import os from 'node:os';
import path from 'node:path';
import { parseDocument, isMap } from 'yaml';
import { z } from 'zod';
import { isHostName, normalizeAddress } from '../../net/address.js';
import { CredentialSets, type FoundSecret, type Login } from './credential-sets.js';
import { readAnsibleIni } from './ansible-ini.js';
import { readAnsibleListJson } from './ansible-list-json.js';
import { AnsibleTree, type AnsibleHost } from './ansible-tree.js';
import { readVarsFiles } from './ansible-vars-files.js';
import { readAnsibleYaml } from './ansible-yaml.js';
import { ImportCollector } from './collector.js';
import type { ImportedHost, ImportResult } from './imported.js';
import type { Importer } from './importer.js';
import { mapPlatform, type PlatformTable } from './platform-map.js';
import { readSource } from './read-source.js';
import { resolvePaths } from './secret-files.js';

export const ansibleOptionsSchema = z.strictObject({
  /** `ansible_network_os` values to platforms, before the built-in table. */
  platformMap: z.record(z.string(), z.string()).optional(),
  /** Where passwords written in clear in the inventory go, one 0600 file each. */
  secretsDir: z.string().min(1).optional(),
  /** The file's format. @default from the extension (.ini, .yml/.yaml, .json), else from the content */
  format: z.enum(['ini', 'yaml', 'json']).optional(),
});

export type AnsibleImportOptions = z.output<typeof ansibleOptionsSchema>;

export const ansibleImporter: Importer<AnsibleImportOptions> = {
  name: 'ansible',
  summary: 'Ansible inventory: INI, YAML (with group_vars/host_vars) or `ansible-inventory --list` JSON',
  source: 'file',
  options: ansibleOptionsSchema,
  read: (file, options, context) =>
    importAnsible(file, { ...options, ...resolvePaths(options, ['secretsDir'], context.baseDir) }),
};

/** `ansible_network_os` values (short and collection names) of the platforms netops drives. */
export const ansiblePlatforms: PlatformTable = {
  ios: 'ios',
  'cisco.ios': 'ios',
  'cisco.ios.ios': 'ios',
  nxos: 'nxos',
  'cisco.nxos': 'nxos',
  'cisco.nxos.nxos': 'nxos',
  frr: 'frr',
  'frr.frr': 'frr',
  'frr.frr.frr': 'frr',
};

/** Connection plugins that log in over SSH, as netops does by default. */
const sshConnections = new Set(
  ['network_cli', 'ssh', 'paramiko', 'paramiko_ssh', 'libssh'].flatMap((name) => [
    name,
    `ansible.netcommon.${name}`,
    `ansible.builtin.${name}`,
  ]),
);

/** Variables that become netops fields instead of `data`. */
const mappedVars = new Set<string>([
  'ansible_host',
  'ansible_port',
  'ansible_network_os',
  'ansible_connection',
  'ansible_user',
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
]);

/** Groups every Ansible inventory has; netops needs neither. */
const implicitGroups = new Set(['all', 'ungrouped']);

export async function importAnsible(file: string, options: AnsibleImportOptions = {}): Promise<ImportResult> {
  const text = await readSource(file, 'Ansible inventory');
  const collector = new ImportCollector(`Ansible inventory ${file}`);
  const tree = new AnsibleTree();
  const format = options.format ?? guessFormat(file, text);
  if (format === 'json') readAnsibleListJson(file, text, tree);
  else {
    if (format === 'ini') readAnsibleIni(file, text, { tree, collector });
    else readAnsibleYaml(file, text, { tree, collector });
    await readVarsFiles(path.dirname(file), { tree, collector });
  }
  const groupNames = new Map<string, string>();
  for (const group of tree.groups.values()) {
    if (implicitGroups.has(group.name)) continue;
    groupNames.set(group.name, collector.name(group.name, group.origin || file, 'group'));
  }
  for (const group of tree.groups.values()) {
    const name = groupNames.get(group.name);
    const parents = group.parents.flatMap((p) => groupNames.get(p) ?? []);
    if (name !== undefined) collector.group(name, group.origin || file, parents);
  }
  const credentials = new CredentialSets(collector, options.secretsDir);
  const baseDir = path.dirname(path.resolve(file));
  for (const host of tree.hosts.values()) {
    const vars = tree.resolvedVars(host);
    const groups = host.groups.flatMap((g) => groupNames.get(g) ?? []);
    collector.host(await hostOf(host, { vars, groups, collector, credentials, options, baseDir }));
  }
  return collector.result();
}

/** The extension says; otherwise a YAML mapping is YAML (JSON with `_meta` is the --list output), anything else INI. */
function guessFormat(file: string, text: string): 'ini' | 'yaml' | 'json' {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yml' || extension === '.yaml') return 'yaml';
  if (extension === '.ini') return 'ini';
  const doc = parseDocument(text, { version: '1.1', logLevel: 'silent' });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return 'ini';
  return doc.contents.has('_meta') && text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

interface HostContext {
  readonly vars: Record<string, unknown>;
  readonly groups: string[];
  readonly collector: ImportCollector;
  readonly credentials: CredentialSets;
  readonly options: AnsibleImportOptions;
  /** The inventory's folder: relative key files are found from it. */
  readonly baseDir: string;
}

async function hostOf(host: AnsibleHost, at: HostContext): Promise<ImportedHost> {
  const { vars, collector } = at;
  const given = vars['ansible_host'] ?? host.name;
  const literal = typeof given === 'string' ? normalizeAddress(given) : undefined;
  const address = literal ?? (typeof given === 'string' && isHostName(given) ? given : undefined);
  // A host named by its address loses nothing when its name is made valid.
  const name = collector.name(
    host.name,
    host.origin,
    'host',
    vars['ansible_host'] === undefined && address !== undefined,
  );
  const problem = (message: string, hint: string) =>
    collector.problem({ origin: host.origin, host: name, message, hint });
  if (address === undefined)
    problem(
      `ansible_host ${JSON.stringify(given)} of ${host.name} is neither an IP address nor a host name; imported without an address`,
      'Set ansible_host to the device address, or give the host an address in the inventory.',
    );
  const network = vars['ansible_network_os'];
  const platform =
    typeof network === 'string'
      ? mapPlatform(
          network,
          { table: ansiblePlatforms, overrides: at.options.platformMap, field: 'ansible_network_os' },
          { collector, origin: host.origin, host: name },
        )
      : problem(
          `${host.name} has no ansible_network_os; imported without a platform`,
          'Set ansible_network_os for the host or its group, or set the platform in the inventory.',
        );
  const port = portOf(vars['ansible_port'], problem);
  const transport = transportOf(vars['ansible_connection'], problem);
  const credentials = await at.credentials.setFor(loginOf(vars, at.baseDir), host.origin);
  return {
    name,
    address,
    ...(port === undefined ? {} : { port }),
    ...(platform === undefined ? {} : { platform }),
    ...(transport === undefined ? {} : { transport }),
    groups: at.groups,
    vars: Object.fromEntries(Object.entries(vars).filter(([key]) => !mappedVars.has(key))),
    ...(credentials === undefined ? {} : { credentials }),
    origin: host.origin,
  };
}

type Problem = (message: string, hint: string) => void;

function portOf(value: unknown, problem: Problem): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  problem(
    `ansible_port ${JSON.stringify(value)} is not a TCP port; imported without a port`,
    'Set ansible_port to a number from 1 to 65535.',
  );
  return undefined;
}

function transportOf(value: unknown, problem: Problem): 'ssh' | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && sshConnections.has(value)) return 'ssh';
  problem(
    `ansible_connection ${JSON.stringify(value)} is not a CLI login netops makes; imported with netops' default (ssh)`,
    'netops reaches devices over SSH or telnet; set the transport in the inventory, or leave the host out with --limit.',
  );
  return undefined;
}

/** `ansible_user`, `ansible_password` (or `ansible_ssh_pass`), `ansible_become_password` (enable) and the key file. */
function loginOf(vars: Record<string, unknown>, baseDir: string): Login {
  const key = vars['ansible_ssh_private_key_file'] ?? vars['ansible_private_key_file'];
  return {
    user: typeof vars['ansible_user'] === 'string' ? vars['ansible_user'] : undefined,
    password: secretOf(vars['ansible_password'] ?? vars['ansible_ssh_pass']),
    enable: secretOf(vars['ansible_become_password'] ?? vars['ansible_become_pass']),
    key: typeof key === 'string' ? path.resolve(baseDir, key.replace(/^~(?=\/)/, os.homedir())) : undefined,
  };
}

const showValue =
  '`ansible HOST -i INVENTORY -m ansible.builtin.debug -a var=ansible_password --ask-vault-pass` shows it';

/** A value Ansible would decrypt or template is never read here: it stays a reference. */
function secretOf(value: unknown): FoundSecret {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && '__ansible_vault' in value)
    return { unreadable: 'is encrypted with Ansible Vault', hint: showValue };
  if (String(value).includes('{{'))
    return { unreadable: 'is a Jinja2 expression netops does not evaluate', hint: showValue };
  return String(value);
}
