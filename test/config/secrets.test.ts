/**
 * Secret references are refused before any device is contacted when their value is empty or
 * cannot be a secret (a folder, a named pipe, a device), with the reference named and the fix.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inventoryVocabulary } from '../../src/cli/load.js';
import { loadInventory } from '../../src/config/inventory.js';
import { checkSecrets, resolveSecret } from '../../src/config/secrets.js';
import { NetopsError } from '../../src/core/errors.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-secrets-');
const envName = 'NETOPS_TEST_SECRET_EMPTY';

beforeAll(async () => {
  await writeFile(path.join(dir, 'empty'), '');
  await writeFile(path.join(dir, 'newline-only'), '\n');
  await writeFile(path.join(dir, 'good'), 'Fil3Secret\n', { mode: 0o600 });
  await mkdir(path.join(dir, 'folder'));
  execFileSync('mkfifo', [path.join(dir, 'pipe')]);
});
afterEach(() => vi.unstubAllEnvs());

async function refusal(ref: Parameters<typeof resolveSecret>[0]): Promise<NetopsError> {
  const error: unknown = await resolveSecret(ref).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetopsError);
  return error as NetopsError;
}

describe('resolveSecret', () => {
  it('reads a file without its trailing newline, and an environment variable', async () => {
    expect(await resolveSecret({ file: path.join(dir, 'good') })).toBe('Fil3Secret');
    vi.stubEnv(envName, 'EnvSecret');
    expect(await resolveSecret({ env: envName })).toBe('EnvSecret');
  });

  it('refuses an empty environment variable, naming it', async () => {
    vi.stubEnv(envName, '');
    const error = await refusal({ env: envName });
    expect(error.code).toBe('SECRET_MISSING');
    expect(error.message).toBe(`environment variable ${envName} is empty`);
    expect(error.hint).toMatch(/lockout/);
  });

  it.each(['empty', 'newline-only'])('refuses a secret file that is %s', async (name) => {
    const error = await refusal({ file: path.join(dir, name) });
    expect(error.message).toBe(`secret file ${path.join(dir, name)} is empty`);
  });

  it('refuses an empty plain-text secret', async () => {
    expect((await refusal({ value: '' })).message).toBe('the secret is empty');
  });

  it.each([
    ['folder', 'a directory'],
    ['pipe', 'a named pipe'],
  ])('refuses a %s as a secret file, clearly and without waiting for a writer', async (name, kind) => {
    const error = await refusal({ file: path.join(dir, name) });
    expect(error.code).toBe('SECRET_MISSING');
    expect(error.message).toBe(`secret file ${path.join(dir, name)} is ${kind}, not a regular file`);
    expect(error.hint).toMatch(/regular file/);
  });

  it('refuses a device', async () => {
    expect((await refusal({ file: '/dev/zero' })).message).toBe(
      'secret file /dev/zero is a device, not a regular file',
    );
  });
});

describe('checkSecrets (before any connection)', () => {
  it('reports each unusable reference at its position in the inventory, with the field it fills', async () => {
    vi.stubEnv(envName, '');
    const file = path.join(dir, 'hosts.yaml');
    await writeFile(
      file,
      [
        'credentials:',
        `  a: { username: admin, password: { env: ${envName} } }`,
        `  b: { username: admin, password: { file: pipe }, enable: { file: folder } }`,
        'hosts:',
        '  r1: { address: 198.18.0.1, platform: ios, credentials: a }',
        '  r2: { address: 198.18.0.2, platform: ios, credentials: b }',
        '',
      ].join('\n'),
    );
    const inventory = await loadInventory([file], await inventoryVocabulary());
    const issues = await checkSecrets(inventory, inventory.hosts.values());
    expect(issues.map((issue) => [issue.pos.line, issue.path, issue.message])).toEqual([
      [2, 'credentials.a.password', `environment variable ${envName} is empty`],
      [
        3,
        'credentials.b.password',
        `secret file ${path.join(dir, 'pipe')} is a named pipe, not a regular file`,
      ],
      [
        3,
        'credentials.b.enable',
        `secret file ${path.join(dir, 'folder')} is a directory, not a regular file`,
      ],
    ]);
  });

  it('reports a variable or file many hosts name, each where it is written, and none once readable', async () => {
    const file = path.join(dir, 'many.yaml');
    const snmp = (ref: string) => `snmp: { version: 2c, community: ${ref}, writeCommunity: ${ref} }`;
    await writeFile(
      file,
      [
        'hosts:',
        ...Array.from(
          { length: 3 },
          (_, i) => `  r${i}: { address: 198.18.0.${i + 1}, ${snmp(`{ env: ${envName} }`)} }`,
        ),
        `  r3: { address: 198.18.0.9, ${snmp('{ file: empty }')} }`,
        `  r4: { address: 198.18.0.10, ${snmp('{ file: empty }')} }`,
        '',
      ].join('\n'),
    );
    const inventory = await loadInventory([file], await inventoryVocabulary());
    const check = async () =>
      (await checkSecrets(inventory, inventory.hosts.values())).map((issue) => [issue.pos.line, issue.path]);
    vi.stubEnv(envName, '');
    const each = (lines: number[]) =>
      lines.flatMap((line) => [
        [line, 'snmp.community'],
        [line, 'snmp.writeCommunity'],
      ]);
    expect(await check()).toEqual(each([2, 3, 4, 5, 6]));
    vi.stubEnv(envName, 'Sn0wflake');
    expect(await check()).toEqual(each([5, 6]));
  });
});
