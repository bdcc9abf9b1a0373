/**
 * `group_vars/` and `host_vars/` beside an inventory file, as Ansible's host_group_vars plugin
 * finds them: for each group or host NAME, the first of `NAME`, `NAME.yml`, `NAME.yaml`,
 * `NAME.json` that exists; a folder is read file by file in name order (hidden files and backups
 * `~` skipped).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap } from 'yaml';
import { parseAnsibleYaml } from './ansible-yaml.js';
import type { AnsibleTree, Vars } from './ansible-tree.js';
import type { ImportCollector } from './collector.js';

const extensions = ['', '.yml', '.yaml', '.json'];

export async function readVarsFiles(dir: string, into: { tree: AnsibleTree; collector: ImportCollector }) {
  const groupVars = await folder(path.join(dir, 'group_vars'));
  for (const group of into.tree.groups.values())
    Object.assign(group.fileVars, await varsOf(groupVars, group.name, into.collector));
  const hostVars = await folder(path.join(dir, 'host_vars'));
  for (const host of into.tree.hosts.values())
    Object.assign(host.fileVars, await varsOf(hostVars, host.name, into.collector));
}

/** A vars folder's entries, listed once: thousands of hosts need no file look-up each. */
interface VarsFolder {
  readonly dir: string;
  readonly entries: ReadonlyMap<string, boolean>;
}

async function folder(dir: string): Promise<VarsFolder> {
  const entries = new Map<string, boolean>();
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    // A link is followed, as Ansible does.
    const target = entry.isSymbolicLink()
      ? await stat(path.join(dir, entry.name)).catch(() => undefined)
      : entry;
    if (target) entries.set(entry.name, target.isDirectory());
  }
  return { dir, entries };
}

async function varsOf(folder: VarsFolder, name: string, collector: ImportCollector): Promise<Vars> {
  const vars: Vars = {};
  for (const file of await filesFor(folder, name)) {
    const { doc, lineOf } = parseAnsibleYaml(file, await readFile(file, 'utf8'));
    if (doc.contents === null) continue;
    if (!isMap(doc.contents)) {
      collector.problem({
        origin: lineOf(doc.contents),
        message: `${file} is not a mapping of variables; not read`,
        hint: 'A vars file holds `name: value` lines.',
      });
      continue;
    }
    Object.assign(vars, doc.toJS() as Vars);
  }
  return vars;
}

async function filesFor(folder: VarsFolder, name: string): Promise<string[]> {
  for (const extension of extensions) {
    const isDirectory = folder.entries.get(name + extension);
    if (isDirectory === undefined) continue;
    const full = path.join(folder.dir, name + extension);
    return isDirectory ? filesIn(full) : [full];
  }
  return [];
}

async function filesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (entry.name.startsWith('.') || entry.name.endsWith('~')) continue;
    const extension = path.extname(entry.name);
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !extension) found.push(...(await filesIn(full)));
    else if (entry.isFile() && (!extension || extensions.includes(extension))) found.push(full);
  }
  return found;
}
