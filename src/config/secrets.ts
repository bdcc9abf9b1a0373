/**
 * Secret references are checked before a run starts (so a missing variable fails the whole job at
 * load time, with its position, before any device is contacted) and read only when a task needs them.
 */
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { ConfigIssue } from './diagnostics.js';
import type { Inventory } from './inventory.js';
import type { Host, SecretRef } from './model.js';
import { NetopsError } from '../core/errors.js';

/** Every secret a host may need: its credentials and SNMP keys. */
export function secretsOf(host: Host): Array<{ ref: SecretRef; what: string }> {
  const refs: Array<{ ref: SecretRef; what: string }> = [];
  const add = (ref: SecretRef | undefined, what: string) => ref && refs.push({ ref, what });
  add(host.credentials?.password, `credentials.${host.credentials?.name}.password`);
  add(host.credentials?.enable, `credentials.${host.credentials?.name}.enable`);
  add(host.credentials?.privateKey, `credentials.${host.credentials?.name}.privateKey`);
  if (host.snmp?.version === '2c') {
    add(host.snmp.community, 'snmp.community');
    add(host.snmp.writeCommunity, 'snmp.writeCommunity');
  } else if (host.snmp) {
    add(host.snmp.authKey, 'snmp.authKey');
    add(host.snmp.privKey, 'snmp.privKey');
  }
  return refs;
}

/** Checks that each referenced secret of these hosts can be read, without keeping any value. */
export async function checkSecrets(inventory: Inventory, hosts: Iterable<Host>): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const seen = new Set<SecretRef>();
  for (const host of hosts) {
    for (const { ref, what } of secretsOf(host)) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const problem = await secretProblem(ref);
      if (!problem) continue;
      const pos = inventory.secretPosition(ref) ?? { file: inventory.files[0] ?? '?', line: 1, col: 1 };
      issues.push({ pos, path: what, message: problem.message, hint: problem.hint });
    }
  }
  return issues;
}

async function secretProblem(ref: SecretRef): Promise<{ message: string; hint: string } | undefined> {
  if ('env' in ref) {
    if (process.env[ref.env] !== undefined) return undefined;
    return {
      message: `environment variable ${ref.env} is not set`,
      hint: `Export ${ref.env} before running netops (for cron, set it in the crontab or a file sourced by it).`,
    };
  }
  if ('file' in ref) {
    try {
      await access(ref.file, constants.R_OK);
      return undefined;
    } catch (error) {
      return {
        message: `secret file ${ref.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        hint: 'Create the file or fix its permissions so the user running netops can read it (mode 0600 is best).',
      };
    }
  }
  return undefined;
}

/** Reads a secret's value. Trailing newlines of secret files are dropped (editors add them). */
export async function resolveSecret(ref: SecretRef): Promise<string> {
  if ('value' in ref) return ref.value;
  const problem = await secretProblem(ref);
  if (problem) throw new NetopsError('SECRET_MISSING', problem.message, { hint: problem.hint });
  if ('env' in ref) return process.env[ref.env] ?? '';
  return (await readFile(ref.file, 'utf8')).replace(/\r?\n$/, '');
}
