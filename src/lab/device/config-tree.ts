/**
 * The running configuration as state: an ordered list of top-level lines, each with its sub-mode
 * lines. Config-mode commands replace or remove lines by key (one `hostname`, one `ip address` per
 * interface, one `username NAME`), so `show running-config` is always regenerated from this tree.
 */

export interface ConfigSection {
  line: string;
  /** Sub-mode lines; one indented further (a key chain's key-string) keeps the indent it adds. */
  children: string[];
}

export type ConfigTree = ConfigSection[];

/** Top-level commands that open a sub-mode; lines after them belong to them until `exit`. */
const subModes: readonly { readonly pattern: RegExp; readonly mode: string }[] = [
  { pattern: /^interface \S+/i, mode: 'config-if' },
  { pattern: /^line /i, mode: 'config-line' },
  { pattern: /^router /i, mode: 'config-router' },
  { pattern: /^(vrf (definition|context)|ip vrf) /i, mode: 'config-vrf' },
  { pattern: /^key chain /i, mode: 'config-keychain' },
  {
    pattern: /^(route-map|class-map|policy-map|ip access-list|ipv6 access-list|object-group) /i,
    mode: 'config-map',
  },
  { pattern: /^(tacacs|radius) server /i, mode: 'config-server-tacacs' },
  { pattern: /^aaa group server /i, mode: 'config-sg' },
  { pattern: /^crypto map \S+ \d+/i, mode: 'config-crypto-map' },
  { pattern: /^crypto ipsec transform-set /i, mode: 'cfg-crypto-trans' },
  { pattern: /^event manager applet /i, mode: 'config-applet' },
  {
    pattern: /^(control-plane|redundancy|archive|crypto isakmp policy|vlan \d+|role name|vdc )/i,
    mode: 'config-sub',
  },
];

/** The prompt mode a top-level line opens (`config-if`), or undefined when it is a plain line. */
export function subModeOf(line: string): string | undefined {
  return subModes.find((m) => m.pattern.test(line))?.mode;
}

/** Lines of one kind replace each other; the key is the part that names the thing being set. */
export function topKey(line: string): string {
  const words = line.trim().split(/\s+/);
  const lower = words.map((w) => w.toLowerCase());
  const first2 = lower.slice(0, 2).join(' ');
  if (lower[0] === 'hostname' || lower[0] === 'switchname') return 'hostname';
  if (lower[0] === 'username') return `username ${words[1] ?? ''}`;
  if (first2 === 'enable secret' || first2 === 'enable password') return first2;
  if (first2 === 'snmp-server community' || first2 === 'snmp-server user')
    return `${first2} ${words[2] ?? ''}`;
  if (/^ip tftp source-interface/i.test(line)) return 'ip tftp source-interface';
  if (/^snmp-server (contact|location)/i.test(line)) return first2;
  return line.trim();
}

function childKey(line: string): string {
  // A line nested deeper is another setting than the same words one level up.
  const indent = /^ */.exec(line)?.[0] ?? '';
  const lower = line.trim().toLowerCase();
  if (lower.startsWith('ip address') && !lower.endsWith('secondary')) return `${indent}ip address`;
  if (lower.startsWith('description')) return `${indent}description`;
  if (/^(shutdown|no shutdown)$/.test(lower)) return `${indent}shutdown`;
  return line.trimEnd();
}

function upsert(list: string[], line: string, key: (l: string) => string): void {
  const k = key(line);
  const at = list.findIndex((l) => key(l) === k);
  if (at >= 0) list[at] = line;
  else list.push(line);
}

/** Sets a top-level line; returns the section (existing or new) so a sub-mode can add children. */
export function setTop(tree: ConfigTree, line: string): ConfigSection {
  const key = topKey(line);
  const existing = tree.find((s) => topKey(s.line) === key);
  if (existing) {
    existing.line = line.trim();
    return existing;
  }
  const section = { line: line.trim(), children: [] };
  tree.push(section);
  return section;
}

/** Sets a sub-mode line: typed (no indent) or read from a file with its indent below the section's first level. */
export function setChild(section: ConfigSection, line: string): void {
  // `no shutdown` replaces `shutdown` and stays: NX-OS shows it on its Ethernet ports, so a config
  // the device wrote reads back the same (IOS never shows it, so its files do not hold it).
  upsert(section.children, line.trimEnd(), childKey);
}

/** `no LINE` at top level: removes the lines with the same key, or those starting with the words. */
export function removeTop(tree: ConfigTree, line: string): boolean {
  const key = topKey(line);
  const prefix = line.trim().toLowerCase();
  const before = tree.length;
  const kept = tree.filter((s) => topKey(s.line) !== key && !s.line.toLowerCase().startsWith(`${prefix} `));
  tree.splice(0, tree.length, ...kept);
  return kept.length !== before;
}

export function removeChild(section: ConfigSection, line: string): void {
  const key = childKey(line);
  if (key === 'shutdown') {
    upsert(section.children, 'shutdown', childKey);
    return;
  }
  const prefix = line.trim().toLowerCase();
  section.children = section.children.filter(
    (c) => childKey(c) !== key && !c.toLowerCase().startsWith(prefix),
  );
}

/**
 * Parses config text (a saved startup-config, a file copied in) into the tree, merging as IOS does
 * for `copy ... running-config`. Headers, `!` comments, `version` and `end` are not configuration.
 */
export function mergeText(tree: ConfigTree, text: string): void {
  let current: ConfigSection | undefined;
  // The indent of the section's first sub-mode line (IOS one space, NX-OS two): deeper lines keep the rest.
  let base: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || /^\s*!/.test(line) || isHeader(line) || printedFromState(line)) continue;
    if (/^\s/.test(line)) {
      const indent = line.search(/\S/);
      base ??= indent;
      if (current) setChild(current, line.slice(Math.min(indent, base)));
      continue;
    }
    base = undefined;
    if (/^no /i.test(line)) {
      removeTop(tree, line.slice(3));
      current = undefined;
      continue;
    }
    const section = setTop(tree, line);
    current = subModeOf(line) ? section : undefined;
  }
}

function isHeader(line: string): boolean {
  return /^(Building configuration|Current configuration :|Using \d+ out of|version |end$)/.test(line);
}

/**
 * Lines IOS prints from its own state rather than from configuration it keeps: the boot markers
 * around `boot` commands, and the clock period NTP has learnt. Read back, they would be printed twice.
 */
function printedFromState(line: string): boolean {
  return /^(boot-(start|end)-marker$|ntp clock-period )/.test(line);
}

export function parseText(text: string): ConfigTree {
  const tree: ConfigTree = [];
  mergeText(tree, text);
  return tree;
}

export function cloneTree(tree: ConfigTree): ConfigTree {
  return tree.map((s) => ({ line: s.line, children: [...s.children] }));
}

// ---- queries the device makes of its own configuration ----

export function hostnameOf(tree: ConfigTree): string | undefined {
  const line = tree.find((s) => topKey(s.line) === 'hostname')?.line;
  return line?.split(/\s+/)[1];
}

export interface ConfiguredUser {
  readonly name: string;
  readonly privilege: number;
  /** Secret type ('0', '5', '7') and the stored value. */
  readonly type: string;
  readonly value: string;
}

/** A `username` line that lets its user log in: name, privilege, secret type and value. */
const userLine = /^username (\S+)(?: privilege (\d+))?.*? (?:secret|password) (?:(\d) )?(\S+)/;

/** Whether a user can log in: asked at every connection, it stops at the first user line. */
export function hasUsers(tree: ConfigTree): boolean {
  return tree.some(({ line }) => line.startsWith('username ') && userLine.test(line));
}

export function usersOf(tree: ConfigTree): ConfiguredUser[] {
  const users: ConfiguredUser[] = [];
  for (const { line } of tree) {
    // Every login asks: a 50 KB config has thousands of lines, few of them users.
    if (!line.startsWith('username ')) continue;
    const m = userLine.exec(line);
    if (!m) continue;
    const role = /role network-admin/.test(line) ? 15 : undefined;
    users.push({
      name: m[1] as string,
      privilege: role ?? Number(m[2] ?? 1),
      type: m[3] ?? '0',
      value: m[4] as string,
    });
  }
  return users;
}

export function enableSecretOf(tree: ConfigTree): { type: string; value: string } | undefined {
  const line = tree.find((s) => /^enable (secret|password)/.test(s.line))?.line;
  const m = line ? /^enable (?:secret|password) (?:level \d+ )?(?:(\d) )?(\S+)/.exec(line) : null;
  return m ? { type: m[1] ?? '0', value: m[2] as string } : undefined;
}

export function interfaceAddresses(tree: ConfigTree, name: string): { ipv4?: string; ipv6?: string } {
  const section = tree.find((s) => s.line.toLowerCase() === `interface ${name}`.toLowerCase());
  if (!section) return {};
  const v4 = section.children.map((c) => /^ip address (\S+)/.exec(c)?.[1]).find(Boolean);
  const v6 = section.children.map((c) => /^ipv6 address ([0-9a-fA-F:]+)/.exec(c)?.[1]).find(Boolean);
  return { ...(v4 ? { ipv4: v4.split('/')[0] } : {}), ...(v6 ? { ipv6: v6 } : {}) };
}

export function tftpSourceInterfaceOf(tree: ConfigTree): string | undefined {
  return tree.find((s) => topKey(s.line) === 'ip tftp source-interface')?.line.split(/\s+/)[3];
}

export function communitiesOf(tree: ConfigTree): { read: string[]; write: string[] } {
  const read: string[] = [];
  const write: string[] = [];
  for (const { line } of tree) {
    const m = /^snmp-server community (\S+)(?: (?:group )?(\S+))?/.exec(line);
    if (!m) continue;
    const access = (m[2] ?? 'RO').toUpperCase();
    (access === 'RW' || access === 'NETWORK-ADMIN' ? write : read).push(m[1] as string);
  }
  return { read, write };
}

export function snmpValue(tree: ConfigTree, key: 'contact' | 'location'): string {
  const line = tree.find((s) => s.line.startsWith(`snmp-server ${key} `))?.line;
  return line ? line.slice(`snmp-server ${key} `.length) : '';
}
