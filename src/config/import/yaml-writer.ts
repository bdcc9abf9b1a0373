/**
 * An import result as a netops inventory file: one line per host, group and credential set, each
 * under a comment naming where it came from, and every problem written as a comment above what it
 * concerns (or at the top). Nothing is dropped: a host the source marks out of service, or one
 * without an address, is written commented out with the reason above it, and a credential set
 * whose user the source does not name is written with `username: null` to fill in, so the file
 * refuses to load until someone does (for a job, see `forJob`).
 *
 * A job reading the source directly parses this same text, so the lines `--show-origin` and errors
 * name are the lines `netops inventory import` prints.
 */
import path from 'node:path';
import type {
  ImportedCredentials,
  ImportedGroup,
  ImportedHost,
  ImportedSecretRef,
  ImportProblem,
  ImportResult,
} from './imported.js';
import { flowYaml, yamlScalar } from './yaml-flow.js';

export interface WriteOptions {
  /**
   * The folder of the file written: secret file references are made relative to it, as the
   * inventory resolves them. Undefined keeps them absolute (printed, or read by a job directly).
   */
  readonly dir?: string;
  /**
   * For a job reading the source directly: a credential set without a user is commented out (the
   * job's own inventory files define it) instead of written with `username: null` to fill in.
   * Either way it takes the same lines, so positions match what `netops inventory import` prints.
   */
  readonly forJob?: boolean;
}

/** The inventory text for `result`. */
export function inventoryYaml(result: ImportResult, options: WriteOptions = {}): string {
  const problemsOf = new Map<string, ImportProblem[]>();
  const general: ImportProblem[] = [];
  for (const problem of result.problems) {
    if (problem.host === undefined) general.push(problem);
    else problemsOf.set(problem.host, [...(problemsOf.get(problem.host) ?? []), problem]);
  }
  const lines = [...header(result), ...general.flatMap((p) => problemComment(p))];
  if (result.credentials.length > 0) {
    lines.push(
      section('credentials', !options.forJob || result.credentials.some((c) => c.username !== undefined)),
    );
    for (const set of result.credentials) lines.push(...credentialLines(set, options));
  }
  if (result.groups.length > 0) {
    lines.push('groups:');
    for (const group of result.groups) lines.push(...groupLines(group));
  }
  lines.push(
    section(
      'hosts',
      result.hosts.some((h) => !h.disabled && h.address !== undefined),
    ),
  );
  for (const host of result.hosts) lines.push(...hostLines(host, problemsOf.get(host.name) ?? []));
  return `${lines.join('\n')}\n`;
}

function header(result: ImportResult): string[] {
  const disabled = result.hosts.filter((h) => h.disabled).length;
  const noAddress = result.hosts.filter((h) => !h.disabled && h.address === undefined).length;
  const left = [
    ...(disabled > 0 ? [`${disabled} disabled in the source`] : []),
    ...(noAddress > 0 ? [`${noAddress} without an address`] : []),
  ];
  const hosts = `${count(result.hosts.length, 'host')}${left.length > 0 ? ` (commented out: ${left.join(', ')})` : ''}`;
  return [
    `# netops inventory imported from ${oneLine(result.source)}`,
    `# ${hosts}, ${count(result.groups.length, 'group')}, ${count(result.problems.length, 'problem')}`,
  ];
}

function hostLines(host: ImportedHost, problems: readonly ImportProblem[]): string[] {
  const values = {
    ...(host.address === undefined ? {} : { address: host.address }),
    ...(host.port === undefined ? {} : { port: host.port }),
    ...(host.platform === undefined ? {} : { platform: host.platform }),
    ...(host.transport === undefined ? {} : { transport: host.transport }),
    ...(host.credentials === undefined ? {} : { credentials: host.credentials }),
    ...(host.groups.length === 0 ? {} : { groups: host.groups }),
    ...(Object.keys(host.vars).length === 0 ? {} : { data: host.vars }),
  };
  const entry = `  ${yamlScalar(host.name)}: ${flowYaml(values)}`;
  const lines = [`  # ${oneLine(host.origin)}`, ...problems.flatMap((p) => problemComment(p, '  '))];
  if (host.disabled)
    lines.push('  # disabled in the source; remove the # below to include it', `  # ${entry.trimStart()}`);
  else if (host.address === undefined)
    lines.push('  # no address: add one and remove the # below', `  # ${entry.trimStart()}`);
  else lines.push(entry);
  return lines;
}

function groupLines(group: ImportedGroup): string[] {
  const values = group.parents.length === 0 ? {} : { groups: group.parents };
  return [`  # ${oneLine(group.origin)}`, `  ${yamlScalar(group.name)}: ${flowYaml(values)}`];
}

function credentialLines(set: ImportedCredentials, options: WriteOptions): string[] {
  const ref = (r: ImportedSecretRef | undefined) =>
    r === undefined || 'env' in r || options.dir === undefined
      ? r
      : { file: path.relative(options.dir, r.file) };
  const values = {
    username: set.username ?? null,
    ...(set.password ? { password: ref(set.password) } : {}),
    ...(set.enable ? { enable: ref(set.enable) } : {}),
    ...(set.privateKey ? { privateKey: ref(set.privateKey) } : {}),
  };
  const lines = [`  # ${oneLine(set.origin)}`];
  const unfilled = set.username === undefined;
  if (unfilled)
    lines.push(
      options.forJob
        ? '  # the source names no user: the job defines this set in its own inventory file'
        : '  # the source names no user: fill in username (or define this set in another inventory file and remove it here)',
    );
  lines.push(`  ${unfilled && options.forJob ? '# ' : ''}${yamlScalar(set.name)}: ${flowYaml(values)}`);
  return lines;
}

/** A section's key; an empty mapping when all its entries are written commented out. */
const section = (name: string, anyEntry: boolean) => (anyEntry ? `${name}:` : `${name}: {}`);

function problemComment(problem: ImportProblem, indent = ''): string[] {
  return [
    `${indent}# problem (${oneLine(problem.origin)}): ${oneLine(problem.message)}`,
    `${indent}#   hint: ${oneLine(problem.hint)}`,
  ];
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

export const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
