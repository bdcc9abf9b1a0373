/**
 * An Ansible inventory as Ansible builds it before resolving variables: groups with their vars,
 * children and hosts, hosts with their own vars, each with where it was first seen. The readers
 * (INI, YAML, `ansible-inventory --list` JSON) fill it; `resolvedVars` then applies Ansible's
 * precedence, so a host's variables are what `ansible-inventory --list` shows for it.
 */

export type Vars = Record<string, unknown>;

export interface AnsibleGroup {
  readonly name: string;
  /** Variables set in the inventory source. */
  readonly vars: Vars;
  /** Variables of `group_vars/NAME` files next to the source (above every inventory group var). */
  readonly fileVars: Vars;
  readonly children: string[];
  readonly parents: string[];
  /** `ansible_group_priority`: orders groups of the same depth. @default 1 */
  priority: number;
  readonly origin: string;
}

export interface AnsibleHost {
  readonly name: string;
  readonly vars: Vars;
  /** Variables of `host_vars/NAME` files (above the inventory's host vars). */
  readonly fileVars: Vars;
  /** Groups that list the host directly, in the order they did. */
  readonly groups: string[];
  readonly origin: string;
}

export class AnsibleTree {
  readonly groups = new Map<string, AnsibleGroup>();
  readonly hosts = new Map<string, AnsibleHost>();
  /** Group depths, worked out once the tree is read (a large inventory resolves thousands of hosts). */
  readonly #depths = new Map<string, number>();

  constructor() {
    this.group('all', '');
  }

  group(name: string, origin: string): AnsibleGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, vars: {}, fileVars: {}, children: [], parents: [], priority: 1, origin };
      this.groups.set(name, group);
    }
    return group;
  }

  child(parent: string, child: string, origin: string): void {
    const up = this.group(parent, origin);
    const down = this.group(child, origin);
    if (!up.children.includes(child)) up.children.push(child);
    if (!down.parents.includes(parent)) down.parents.push(parent);
    this.#depths.clear();
  }

  /** Adds a host (a port given in its pattern applies only where the host first appears, as in Ansible). */
  host(name: string, at: { group?: string; port?: number; origin: string }): AnsibleHost {
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, vars: {}, fileVars: {}, groups: [], origin: at.origin };
      if (at.port !== undefined) host.vars['ansible_port'] = at.port;
      this.hosts.set(name, host);
    }
    if (at.group !== undefined && at.group !== 'all') {
      this.group(at.group, at.origin);
      if (!host.groups.includes(at.group)) host.groups.push(at.group);
    }
    return host;
  }

  /** The hosts a pattern line names, each in the group and given the line's variables. */
  hostsOfPattern(
    hosts: { readonly names: readonly string[]; readonly port?: number },
    at: { readonly group: string; readonly origin: string },
    vars: Vars,
  ): void {
    for (const name of hosts.names) {
      const host = this.host(name, { ...at, ...(hosts.port === undefined ? {} : { port: hosts.port }) });
      Object.assign(host.vars, vars);
    }
  }

  groupVar(group: string, key: string, value: unknown): void {
    const target = this.group(group, '');
    if (key === 'ansible_group_priority') target.priority = Number(value);
    else target.vars[key] = value;
  }

  /** The host's groups and all their ancestors, `all` included. */
  ancestry(host: AnsibleHost): AnsibleGroup[] {
    const seen = new Set<string>(['all']);
    const queue = [...host.groups];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(...(this.groups.get(name)?.parents ?? []));
    }
    return [...seen].map((name) => this.groups.get(name)!);
  }

  /** Longest path from `all`: a group no one lists as a child is a child of `all`. */
  depth(group: AnsibleGroup, seen = new Set<string>()): number {
    if (group.name === 'all' || seen.has(group.name)) return 0;
    seen.add(group.name);
    const parents = group.parents.filter((p) => p !== 'all');
    if (parents.length === 0) return 1;
    return 1 + Math.max(...parents.map((p) => this.depth(this.groups.get(p)!, new Set(seen))));
  }

  #depthOf(group: AnsibleGroup): number {
    let depth = this.#depths.get(group.name);
    if (depth === undefined) this.#depths.set(group.name, (depth = this.depth(group)));
    return depth;
  }

  /**
   * The host's variables as Ansible resolves them (default `hash_behaviour: replace`): inventory
   * vars of `all`, then of its other groups by depth, priority and name, then the `group_vars`
   * files in the same order, then the host's inventory vars, then its `host_vars` files.
   */
  resolvedVars(host: AnsibleHost): Vars {
    const groups = this.ancestry(host)
      .map((group) => ({ group, key: [this.#depthOf(group), group.priority, group.name] as const }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || compare(a.key[2], b.key[2]))
      .map(({ group }) => group);
    return Object.assign(
      {},
      ...groups.map((g) => g.vars),
      ...groups.map((g) => g.fileVars),
      host.vars,
      host.fileVars,
    ) as Vars;
  }
}

/** Python's string order (code points), which `sorted()` uses for group names. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
