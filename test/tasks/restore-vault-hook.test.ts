/**
 * The backup's vault hook (`keepForRestore`): with `restore:` on, the stored config's unsanitized
 * form lands in the vault under the blob id of what the store wrote; a vault that cannot be written
 * warns on the host and never fails the backup; a key file made anew beside older entries warns.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ios } from '../../src/platforms/ios/index.js';
import { prepareConfig } from '../../src/store/prepare.js';
import { Vault, vaultEntryId } from '../../src/store/vault.js';
import { vaultLocation } from '../../src/store/vault-settings.js';
import { keepForRestore } from '../../src/tasks/resources/job-vault.js';
import type { Closable, TaskContext } from '../../src/tasks/task.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';
import { testHost } from '../helpers/host.js';

const dir = useTempDir('netops-vault-hook-');
const state = useStateDir();
const rules = ios.configRules!;
const raw =
  'Building configuration...\n\nCurrent configuration : 120 bytes\n!\nhostname r1\nenable secret 0 Hook-Secret-1\nsnmp-server community hook-community RO\nend\n';

/** A task context as the runner gives one, with the warnings and logs it kept. */
function context(restore: Record<string, unknown> | undefined) {
  const warnings: string[] = [];
  const logs: string[] = [];
  const resources = new Map<string, Promise<Closable>>();
  const ctx = {
    host: testHost('r1', { platform: 'ios' }),
    signal: new AbortController().signal,
    job: {
      name: 'nightly',
      dir,
      settings: {
        store: { dir: 'store', sanitize: true, allowShrink: false },
        ...(restore ? { restore } : {}),
      },
    },
    secret: () => Promise.reject(new Error('no secrets here')),
    resource: <T extends Closable>(key: string, open: () => Promise<T>) => {
      if (!resources.has(key)) resources.set(key, open());
      return resources.get(key) as Promise<T>;
    },
    log: (message: string) => void logs.push(message),
    warn: (message: string) => void warnings.push(message),
  } satisfies TaskContext;
  return { ctx, warnings, logs };
}

const sanitized = () => {
  const prepared = prepareConfig(raw, rules);
  if (!prepared.ok) throw new Error(prepared.reason);
  return prepared.content;
};

describe('the backup keeps an unsanitized copy for restore', () => {
  it('writes the clear config under the blob id of the stored text, only when restore is on', async () => {
    const off = context(undefined);
    await keepForRestore(off.ctx, raw, rules, sanitized());
    expect(await readdir(dir)).toEqual([]);

    const on = context({ enabled: true });
    await keepForRestore(on.ctx, raw, rules, sanitized());
    expect(on.warnings).toEqual([]);
    const location = vaultLocation(
      dir,
      path.join(dir, 'store'),
      { enabled: true },
      { NETOPS_STATE_DIR: state },
    );
    const vault = await Vault.open(location, path.join(dir, 'store'), { write: false });
    const clear = await vault.get('r1', vaultEntryId(sanitized()));
    // The text the store would have written unsanitized: headers dropped, secrets kept.
    expect(clear).toBe(
      '!\nhostname r1\nenable secret 0 Hook-Secret-1\nsnmp-server community hook-community RO\nend\n',
    );
    expect(on.logs.join('\n')).not.toContain('Hook-Secret-1');
  });

  it('a vault that cannot be written is a warning, not a failed backup', async () => {
    const inside = context({ enabled: true, vault: 'store/vault' });
    await expect(keepForRestore(inside.ctx, raw, rules, sanitized())).resolves.toBeUndefined();
    expect(inside.warnings).toHaveLength(1);
    expect(inside.warnings[0]).toContain(
      'this backup cannot be restored: the vault write failed (CONFIG_INVALID',
    );
    expect(inside.warnings[0]).toContain('is inside the store');
  });

  it('a key file made anew beside older entries says so', async () => {
    const location = vaultLocation(
      dir,
      path.join(dir, 'store'),
      { enabled: true },
      { NETOPS_STATE_DIR: state },
    );
    await rm(location.keyFile);
    const again = context({ enabled: true });
    await keepForRestore(again.ctx, raw, rules, sanitized());
    expect(again.warnings).toEqual([
      `the vault key ${location.keyFile} was missing, so a new one was made: the entries written before it cannot be decrypted with it (docs/restore.md, "Key loss")`,
    ]);
  });
});
