/**
 * The collect task's view of the job's git store (`store:` section): read the last facts, write
 * new ones with a change note. The store is the run resource the backup task shares, opened once
 * under the same key and committed once when the run ends.
 */
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { GitStore } from '../../store/git-store.js';
import { storeSettingsSchema } from '../../store/settings.js';
import type { Closable, TaskContext } from '../task.js';

export interface FactStore extends Closable {
  /** The store's folder, absolute. */
  readonly dir: string;
  /** The last stored text of `relPath`, undefined when there is none. */
  read(relPath: string): Promise<string | undefined>;
  /** Stores `content`; `note` becomes a line of the run's commit message when it changed. */
  write(relPath: string, content: string, note?: string): Promise<{ readonly changed: boolean }>;
}

export async function factStore(ctx: TaskContext): Promise<FactStore> {
  const raw = ctx.job.settings['store'];
  if (raw === undefined) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `job "${ctx.job.name}" has no store section for the collected facts`,
      {
        hint: 'Add `store: { dir: PATH }` to the job: the folder (a git repository, created if missing) for configs/ and facts/.',
      },
    );
  }
  const settings = storeSettingsSchema.parse(raw);
  const dir = path.resolve(ctx.job.dir, settings.dir);
  return ctx.resource(`store:${dir}`, () =>
    GitStore.open({ dir, ...(settings.author ? { author: settings.author } : {}) }),
  );
}
