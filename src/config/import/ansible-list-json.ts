/**
 * The JSON `ansible-inventory --list` prints: every group with its `hosts` and `children`, and
 * `_meta.hostvars` with each host's variables already resolved by Ansible (so they become the
 * hosts' own variables here, and groups carry none).
 */
import { NetopsError } from '../../core/errors.js';
import type { AnsibleTree } from './ansible-tree.js';

interface ListedGroup {
  readonly hosts?: unknown;
  readonly children?: unknown;
}

export function readAnsibleListJson(file: string, text: string, tree: AnsibleTree): void {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new NetopsError('CONFIG_INVALID', `${file}: not JSON: ${(error as Error).message}`, {
      hint: 'Give the output of `ansible-inventory -i INVENTORY --list` as it was printed.',
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new NetopsError(
      'CONFIG_INVALID',
      `${file}: expected the JSON object of \`ansible-inventory --list\``,
      {
        hint: 'Give the output of `ansible-inventory -i INVENTORY --list` as it was printed.',
      },
    );
  const meta = data['_meta'] as { hostvars?: Record<string, Record<string, unknown>> } | undefined;
  for (const [name, value] of Object.entries(data)) {
    if (name === '_meta' || typeof value !== 'object' || value === null) continue;
    const group = value as ListedGroup;
    tree.group(name, `${file} group ${name}`);
    for (const child of strings(group.children)) tree.child(name, child, `${file} group ${name}`);
    for (const host of strings(group.hosts)) tree.host(host, { group: name, origin: `${file} host ${host}` });
  }
  for (const [name, vars] of Object.entries(meta?.hostvars ?? {}))
    Object.assign(tree.host(name, { origin: `${file} host ${name}` }).vars, vars);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
