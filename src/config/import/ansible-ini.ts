/**
 * Ansible's INI inventory format: `[group]` host lines, `[group:vars]` key=value lines,
 * `[group:children]` group names; lines before the first section are ungrouped hosts. A line
 * Ansible would refuse is a problem with its line, and the rest of the file is still read.
 */
import { expandHostPattern } from './ansible-host-pattern.js';
import { pythonValue, shellWords } from './ansible-ini-values.js';
import type { AnsibleTree, Vars } from './ansible-tree.js';
import type { ImportCollector } from './collector.js';
import { numberedLines } from './read-source.js';

const sectionPattern = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;

export function readAnsibleIni(
  file: string,
  text: string,
  into: { tree: AnsibleTree; collector: ImportCollector },
) {
  let group = 'ungrouped';
  let state = 'hosts';
  for (const { line, text: raw } of numberedLines(text)) {
    const content = raw.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) continue;
    const origin = `${file}:${line}`;
    const section = sectionPattern.exec(content);
    const refuse = (message: string) =>
      into.collector.problem({
        origin,
        message,
        hint: "Fix the line as `ansible-inventory -i FILE --list` would need it (see Ansible's INI inventory format).",
      });
    if (section) {
      group = section[1]!;
      state = section[2] ?? 'hosts';
      if (!['hosts', 'vars', 'children'].includes(state))
        refuse(`section [${group}:${state}] has an unknown type; its lines are not read`);
      else into.tree.group(group, origin);
      continue;
    }
    if (state === 'hosts') hostLine(content, { group, origin, refuse, tree: into.tree });
    else if (state === 'vars') {
      const equals = content.indexOf('=');
      if (equals < 0) refuse(`expected key=value, found: ${content}`);
      else
        into.tree.groupVar(
          group,
          content.slice(0, equals).trim(),
          pythonValue(content.slice(equals + 1).trim()),
        );
    } else if (state === 'children') {
      const child = /^([^:\]\s]+)\s*(?:#.*)?$/.exec(content)?.[1];
      if (child === undefined) refuse(`expected a group name, found: ${content}`);
      else into.tree.child(group, child, origin);
    } else refuse(`not read: the line is in the section [${group}:${state}], of an unknown type`);
  }
}

function hostLine(
  content: string,
  at: { group: string; origin: string; refuse: (message: string) => void; tree: AnsibleTree },
): void {
  const words = shellWords(content);
  if (typeof words === 'string') return at.refuse(words);
  const [pattern = '', ...assignments] = words;
  const hosts = expandHostPattern(pattern);
  if (typeof hosts === 'string') return at.refuse(hosts);
  const vars: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals < 0) return at.refuse(`expected key=value after the host, found: ${assignment}`);
    vars[assignment.slice(0, equals)] = pythonValue(assignment.slice(equals + 1));
  }
  at.tree.hostsOfPattern(hosts, { group: at.group, origin: at.origin }, vars as Vars);
}
