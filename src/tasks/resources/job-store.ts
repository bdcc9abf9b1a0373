/**
 * The job's git store (`store:` section) as a run resource: opened once by the first task that
 * needs it, shared by every host and task (configs and facts), committed once when the run ends.
 */
import path from 'node:path';
import type { Host } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import type { GitStore } from '../../store/git-store.js';
import type { StoreSettings } from '../../store/settings.js';
import type { TaskContext } from '../task.js';

export interface JobStore {
  readonly store: GitStore;
  readonly settings: StoreSettings;
}

export function storeSettings(ctx: TaskContext): StoreSettings {
  const raw = ctx.job.settings['store'];
  if (raw === undefined) {
    throw new NetopsError('CONFIG_INVALID', `job "${ctx.job.name}" has no store section`, {
      hint: 'Add `store: { dir: PATH }` to the job: the folder (a git repository, created if missing) for configs/ and facts/.',
    });
  }
  return raw as StoreSettings; // validated at job load
}

/** The store folder of a job: `store.dir` relative to the job file's folder. */
export function storeDir(jobDir: string, settings: StoreSettings): string {
  return path.resolve(jobDir, settings.dir);
}

/**
 * Opens the job's store (taking the store lock) as a job would: `netops run` does it before any
 * host, with the run's hosts, whose platforms are the store's families (configs alike, packed
 * together). `onRepair` hears both the repairs done at open and the warnings after the commit.
 */
export async function openJobStore(
  job: { readonly name: string; readonly dir: string },
  settings: StoreSettings,
  onRepair?: (message: string) => void,
  hosts: readonly Pick<Host, 'name' | 'platform'>[] = [],
): Promise<GitStore> {
  // The store's code loads when a run opens it, not with the task list (`--plan`).
  const { GitStore } = await import('../../store/git-store.js');
  const platforms = new Map<string, string>();
  for (const host of hosts) if (host.platform !== undefined) platforms.set(host.name, host.platform);
  return GitStore.open({
    dir: storeDir(job.dir, settings),
    purpose: `job ${job.name}`,
    ...(settings.author ? { author: settings.author } : {}),
    ...(onRepair ? { onRepair, onWarning: onRepair } : {}),
    ...(platforms.size > 0 ? { families: platforms } : {}),
  });
}

/** The run resource's key of the store in `dir`: `netops run` hands the store it opened to the run under it. */
export function storeResourceKey(dir: string): string {
  return `store:${dir}`;
}

export async function jobStore(ctx: TaskContext): Promise<JobStore> {
  const settings = storeSettings(ctx);
  const dir = storeDir(ctx.job.dir, settings);
  const store = await ctx.resource(storeResourceKey(dir), () =>
    openJobStore(ctx.job, settings, (message) => ctx.log(message)),
  );
  return { store, settings };
}
