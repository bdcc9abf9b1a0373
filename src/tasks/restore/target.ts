/**
 * Which config a restore installs: the revision the user names (a run, a date, a commit: the forms
 * of `store/revisions.ts`, as `netops history` and `netops diff` read them) -> the commit ->
 * `configs/HOST.cfg` as that commit holds it (sanitized) -> its blob id -> the vault entry.
 */
import { NetopsError } from '../../core/errors.js';
import type { StoreHistory } from '../../store/store-history.js';
import { configPath } from '../../store/paths.js';
import { vaultEntryId, type Vault } from '../../store/vault.js';

export interface RestoreTarget {
  /** The commit the revision names. */
  readonly commit: string;
  readonly date: string;
  /** The run that made the commit, when its message names one. */
  readonly runId?: string;
  /** The blob id of the sanitized config: the vault entry's name. */
  readonly blob: string;
}

/** The host's config at the revision `text` names; `last~N` counts the runs of `job`. */
export async function findTarget(
  store: StoreHistory,
  host: string,
  text: string,
  job: string,
): Promise<RestoreTarget> {
  const revision = await store.resolve(text, { job });
  const file = configPath(host);
  const [version] = await store.fileVersions([{ commit: revision.commit, path: file }]);
  if (version?.after === undefined) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `${host}: the store has no ${file} at ${text} (commit ${revision.commit.slice(0, 12)}, ${revision.date})`,
      {
        hint: `Pick a revision from \`netops history ${host}\` (the host was first backed up later).`,
        host,
      },
    );
  }
  return {
    commit: revision.commit,
    date: revision.date,
    ...(revision.runId ? { runId: revision.runId } : {}),
    blob: vaultEntryId(version.after),
  };
}

/** The clear config of the target, from the vault (NOT_RESTORABLE when the vault has no copy of it). */
export async function clearConfig(
  vault: Vault | undefined,
  host: string,
  target: RestoreTarget,
): Promise<string> {
  const at = `${target.commit.slice(0, 12)} (${target.date})`;
  if (!vault) {
    throw new NetopsError(
      'NOT_RESTORABLE',
      `${host}: the job keeps no unsanitized configs (no \`restore:\` section), and the store's masked config of ${at} cannot be installed`,
      {
        hint: 'Add `restore: { enabled: true }` to the job: backups from then on can be restored (docs/restore.md).',
        host,
      },
    );
  }
  try {
    return await vault.get(host, target.blob);
  } catch (error) {
    if (!(error instanceof NetopsError) || error.code !== 'NOT_RESTORABLE') throw error;
    throw new NetopsError(
      'NOT_RESTORABLE',
      `${host}: revision ${at} is sanitized only: the vault has no unsanitized copy of it, and its masked config cannot be installed (its secrets would become placeholders)`,
      { hint: error.hint, host, details: { ...error.details, commit: target.commit } },
    );
  }
}
