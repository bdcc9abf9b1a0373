/**
 * Ansible's YAML inventory format (the `yaml` inventory plugin): groups at the top, each with
 * `hosts`, `vars` and `children` (children are groups of the same shape). Read as YAML 1.1, as
 * Ansible's PyYAML does (`yes` is true), with `!vault` values kept as Ansible shows them:
 * `{ __ansible_vault: CIPHERTEXT }`.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { NetopsError } from '../../core/errors.js';
import { expandHostPattern } from './ansible-host-pattern.js';
import type { AnsibleTree, Vars } from './ansible-tree.js';
import type { ImportCollector } from './collector.js';

/** The `!vault` tag of Ansible Vault encrypted values. */
export const vaultTag = {
  tag: '!vault',
  resolve: (text: string) => ({ __ansible_vault: text }),
};

export interface YamlReading {
  readonly doc: Document;
  readonly lineOf: (node: Node | null | undefined) => string;
}

/** Parses Ansible YAML (an inventory, a `group_vars` file); a syntax error stops the import. */
export function parseAnsibleYaml(file: string, text: string): YamlReading {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    lineCounter: lines,
    customTags: [vaultTag],
    uniqueKeys: false,
  });
  const lineOf = (node: Node | null | undefined) =>
    `${file}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new NetopsError('CONFIG_INVALID', `${file}:${line}:${col} ${error.message.split('\n')[0]}`, {
      hint: 'Fix the YAML at that position; `ansible-inventory -i FILE --list` reads the file the same way.',
    });
  }
  return { doc, lineOf };
}

interface Into {
  readonly tree: AnsibleTree;
  readonly collector: ImportCollector;
  readonly reading: YamlReading;
}

export function readAnsibleYaml(file: string, text: string, into: Omit<Into, 'reading'>): void {
  const reading = parseAnsibleYaml(file, text);
  const top = reading.doc.contents;
  if (!isMap(top))
    throw new NetopsError('CONFIG_INVALID', `${file}: expected a mapping of groups (all:, ...) at the top`, {
      hint: 'An Ansible YAML inventory starts with its groups, usually `all:`.',
    });
  for (const pair of top.items)
    readGroup(String(scalar(pair.key)), pair.value as Node | null, { ...into, reading });
}

function scalar(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function readGroup(name: string, node: Node | null, into: Into, keyNode?: Node): void {
  const origin = into.reading.lineOf(keyNode ?? node);
  into.tree.group(name, origin);
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) return skipped(`group ${name} is not a mapping; Ansible skips it`, origin, into);
  for (const pair of node.items) {
    const section = String(scalar(pair.key));
    const value = pair.value as Node | null;
    const entries = sectionEntries(value);
    if (!['vars', 'children', 'hosts'].includes(section) || entries === undefined) {
      skipped(
        `"${section}" of group ${name} is not a mapping of hosts, vars or children; Ansible skips it`,
        into.reading.lineOf(value ?? node),
        into,
      );
      continue;
    }
    for (const [key, child, keyNode] of entries) {
      if (section === 'vars') into.tree.groupVar(name, key, toJs(child, into));
      else if (section === 'children') {
        readGroup(key, child, into, keyNode);
        into.tree.child(name, key, into.reading.lineOf(keyNode));
      } else readHost(key, child, { group: name, origin: into.reading.lineOf(keyNode), into });
    }
  }
}

/** A section's entries; a plain string stands for one entry with no value, as Ansible reads it. */
function sectionEntries(value: Node | null): Array<[string, Node | null, Node]> | undefined {
  if (value === null || (isScalar(value) && value.value === null)) return [];
  if (isScalar(value) && typeof value.value === 'string') return [[value.value, null, value]];
  if (!isMap(value)) return undefined;
  return value.items.map((pair) => [String(scalar(pair.key)), pair.value as Node | null, pair.key as Node]);
}

function toJs(node: Node | null, into: Into): unknown {
  return node === null ? null : node.toJS(into.reading.doc);
}

function readHost(
  pattern: string,
  node: Node | null,
  at: { group: string; origin: string; into: Into },
): void {
  const { into } = at;
  const hosts = expandHostPattern(pattern);
  if (typeof hosts === 'string')
    return into.collector.problem({
      origin: at.origin,
      message: hosts,
      hint: 'Fix the host pattern (name, [a:b] range, :port).',
    });
  const vars = toJs(node, into) ?? {};
  if (typeof vars !== 'object' || Array.isArray(vars))
    return into.collector.problem({
      origin: at.origin,
      message: `host ${pattern} has a value that is not a mapping of variables`,
      hint: 'Give the host a mapping of variables, or nothing.',
    });
  into.tree.hostsOfPattern(hosts, { group: at.group, origin: at.origin }, vars as Vars);
}

function skipped(message: string, origin: string, into: Into): void {
  into.collector.problem({
    origin,
    message,
    hint: 'Groups hold only `hosts`, `vars` and `children` mappings.',
  });
}
