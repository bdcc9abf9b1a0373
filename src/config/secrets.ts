/**
 * Secret references are checked before a run starts (so a missing variable fails the whole job at
 * load time, with its position, before any device is contacted) and read only when a task needs them.
 */
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
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

/**
 * Checks that each referenced secret of these hosts can be read, without keeping any value. Each
 * reference written in the inventory is checked (a problem is reported where each is written), but
 * a variable or file is read once: a thousand hosts naming the same `{ env: NAME }` each in their own
 * `snmp:` are one read, not a thousand awaits.
 */
export async function checkSecrets(inventory: Inventory, hosts: Iterable<Host>): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const seen = new Set<SecretRef>();
  const results = new Map<string, Awaited<ReturnType<typeof read>>>();
  for (const host of hosts) {
    for (const { ref, what } of secretsOf(host)) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const source = 'env' in ref ? `env\0${ref.env}` : 'file' in ref ? `file\0${ref.file}` : undefined;
      let result = source === undefined ? undefined : results.get(source);
      if (result === undefined) {
        result = await read(ref);
        if (source !== undefined) results.set(source, result);
      }
      if (!('problem' in result)) continue;
      const { problem } = result;
      const pos = inventory.secretPosition(ref) ?? { file: inventory.files[0] ?? '?', line: 1, col: 1 };
      issues.push({ pos, path: what, message: problem.message, hint: problem.hint });
    }
  }
  return issues;
}

interface Problem {
  readonly message: string;
  readonly hint: string;
}

/** A reference's value, or what is wrong with it: unset, unreadable, not a regular file, or empty. */
async function read(ref: SecretRef): Promise<{ value: string } | { problem: Problem }> {
  if ('value' in ref) return ref.value === '' ? empty('the secret') : { value: ref.value };
  if ('env' in ref) {
    const value = process.env[ref.env];
    if (value === undefined) {
      return {
        problem: {
          message: `environment variable ${ref.env} is not set`,
          hint: `Export ${ref.env} before running netops (for cron, set it in the crontab or a file sourced by it).`,
        },
      };
    }
    return value === '' ? empty(`environment variable ${ref.env}`) : { value };
  }
  try {
    const value = await readSecretFile(ref.file);
    return value === '' ? empty(`secret file ${ref.file}`) : { value };
  } catch (error) {
    if (error instanceof NetopsError) return { problem: { message: error.message, hint: error.hint } };
    return {
      problem: {
        message: `secret file ${ref.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        hint: 'Create the file or fix its permissions so the user running netops can read it (mode 0600 is best).',
      },
    };
  }
}

function empty(what: string): { problem: Problem } {
  return { problem: { message: `${what} is empty`, hint: EMPTY_HINT } };
}

/** An empty password is sent as is and counts as a failed login: enough of them lock the account out. */
const EMPTY_HINT =
  'Put the secret in it (a device never accepts an empty one, and each refused login counts towards a lockout).';

/**
 * Reads a secret file without following it into something that blocks: opened non-blocking and
 * checked with fstat (the file read is the file checked), so a named pipe, a device or a folder is
 * refused instead of hanging the run or failing deep inside a task.
 */
async function readSecretFile(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new NetopsError('SECRET_MISSING', `secret file ${file} is ${kindOf(stats)}, not a regular file`, {
        hint: 'Point the reference at a regular file holding only the secret (mode 0600).',
      });
    }
    return (await handle.readFile('utf8')).replace(/\r?\n$/, '');
  } finally {
    await handle.close();
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Reads a secret's value, refusing an empty one. Trailing newlines of secret files are dropped (editors add them). */
export async function resolveSecret(ref: SecretRef): Promise<string> {
  const result = await read(ref);
  if ('problem' in result)
    throw new NetopsError('SECRET_MISSING', result.problem.message, { hint: result.problem.hint });
  return result.value;
}
